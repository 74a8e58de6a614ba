#include "rush/report.hpp"

#include "rush/json_util.hpp"

#include <boost/json/serialize.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace boxoffice::rush {
namespace {

struct Quantile {
  const char* name;
  double value;
};

constexpr Quantile quantiles[] = {{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p999", 0.999}};

double millis(std::uint64_t micros) {
  return static_cast<double>(micros) / 1000.0;
}

boost::json::object operation_json(const OperationStats& stats) {
  boost::json::object latency;
  for (const auto& quantile : quantiles) {
    latency[quantile.name] = millis(stats.latency_us.percentile(quantile.value));
  }
  latency["max"] = millis(stats.latency_us.max());
  latency["min"] = millis(stats.latency_us.min());
  latency["mean"] = stats.latency_us.mean() / 1000.0;
  boost::json::object statuses;
  for (const auto& [status, count] : stats.statuses) {
    statuses[std::to_string(status)] = count;
  }
  boost::json::array samples;
  for (const auto& sample : stats.samples) {
    samples.emplace_back(sample);
  }
  return boost::json::object{
      {"requests", stats.requests()},    {"latency_ms", std::move(latency)},
      {"statuses", std::move(statuses)}, {"server_errors", stats.server_errors()},
      {"timeouts", stats.timeouts},      {"connection_errors", stats.connect_errors},
      {"io_errors", stats.io_errors},    {"samples", std::move(samples)},
  };
}

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

std::string pad(std::string text, std::size_t width, bool left = false) {
  if (text.size() < width) {
    const std::string fill(width - text.size(), ' ');
    text = left ? text + fill : fill + text;
  }
  return text;
}

std::string figure_text(const boost::json::value& value) {
  if (value.is_double()) {
    return format("%.3f", value.as_double());
  }
  return boost::json::serialize(value);
}

}  // namespace

boost::json::object report_json(const Report& report) {
  boost::json::object operations;
  std::uint64_t server_errors = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t connect_errors = 0;
  std::uint64_t io_errors = 0;
  for (const auto& [name, stats] : report.recorder.operations()) {
    operations[name] = operation_json(stats);
    server_errors += stats.server_errors();
    timeouts += stats.timeouts;
    connect_errors += stats.connect_errors;
    io_errors += stats.io_errors;
  }
  boost::json::object root{
      {"command", report.command},
      {"url", report.options.url},
      {"users", report.users},
      {"connections", report.options.connections},
      {"threads", report.options.threads},
      {"source_addresses", report.options.source_addresses},
      {"timeout_ms", report.options.timeout.count()},
      {"duration_seconds", report.duration_seconds},
      {"figures", report.figures},
      {"operations", std::move(operations)},
      {"errors",
       boost::json::object{
           {"server_errors", server_errors},
           {"timeouts", timeouts},
           {"connection_errors", connect_errors},
           {"io_errors", io_errors},
           {"crashed_users", report.crashed_users},
       }},
      {"connects", report.connects},
  };
  for (const auto& [key, value] : report.details) {
    root[key] = value;
  }
  return root;
}

std::string report_text(const Report& report) {
  std::string out = "boxoffice-rush " + report.command + "  " + report.options.url + "  users " +
                    std::to_string(report.users) + "  connections " +
                    std::to_string(report.options.connections) + "  threads " +
                    std::to_string(report.options.threads) + "  " +
                    format("%.2f s", report.duration_seconds) + "\n\n";
  for (const auto& [key, value] : report.figures) {
    out += "  " + pad(std::string{key}, 28, true) + " " + figure_text(value) + "\n";
  }
  out += "\n" + pad("operation", 12, true) + pad("requests", 10) + pad("p50 ms", 10) +
         pad("p90 ms", 10) + pad("p99 ms", 10) + pad("p99.9 ms", 10) + pad("max ms", 10) +
         "  statuses\n";
  std::uint64_t server_errors = 0;
  std::uint64_t failures = 0;
  for (const auto& [name, stats] : report.recorder.operations()) {
    out += pad(name, 12, true) + pad(std::to_string(stats.requests()), 10);
    for (const auto& quantile : quantiles) {
      out += pad(format("%.2f", millis(stats.latency_us.percentile(quantile.value))), 10);
    }
    out += pad(format("%.2f", millis(stats.latency_us.max())), 10) + " ";
    for (const auto& [status, count] : stats.statuses) {
      out += " " + std::to_string(status) + ":" + std::to_string(count);
    }
    if (stats.timeouts > 0) {
      out += " timeout:" + std::to_string(stats.timeouts);
    }
    if (stats.connect_errors > 0) {
      out += " connect:" + std::to_string(stats.connect_errors);
    }
    if (stats.io_errors > 0) {
      out += " io:" + std::to_string(stats.io_errors);
    }
    out += "\n";
    server_errors += stats.server_errors();
    failures += stats.failures();
  }
  out += "\nerrors: " + std::to_string(server_errors) + " 5xx, " + std::to_string(failures) +
         " timeouts or connection errors";
  if (report.crashed_users > 0) {
    out += ", " + std::to_string(report.crashed_users) + " virtual users stopped by an exception";
  }
  out += "\n";
  for (const auto& [name, stats] : report.recorder.operations()) {
    for (const auto& sample : stats.samples) {
      out.append("  ").append(name).append(": ").append(sample).append("\n");
    }
  }
  return out;
}

void publish(const Report& report, const std::string& json_path) {
  std::cout << report_text(report) << std::flush;
  if (json_path.empty()) {
    return;
  }
  std::ofstream file{json_path, std::ios::trunc};
  file << pretty(report_json(report));
  if (!file.flush()) {
    throw std::runtime_error("cannot write the report " + json_path);
  }
  std::cout << "report written to " << json_path << "\n";
}

}  // namespace boxoffice::rush
