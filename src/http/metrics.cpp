#include "http/metrics.hpp"

#include <array>
#include <sstream>

namespace boxoffice::http {
namespace {
constexpr std::array<double, 13> bucket_bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                               0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

std::string label_value(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == '"') {
      escaped += '\\';
    }
    escaped += c == '\n' ? ' ' : c;
  }
  return escaped;
}
}  // namespace

void Metrics::observe_request(const std::string& route, unsigned status,
                              std::chrono::nanoseconds duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  std::scoped_lock lock{mutex_};
  ++requests_[{route, status}];
  auto& latency = latency_[route];
  for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
    if (seconds <= bucket_bounds[i]) {
      ++latency.buckets[i];
    }
  }
  ++latency.count;
  latency.sum_seconds += seconds;
}

void Metrics::increment(const std::string& name, double by) {
  std::scoped_lock lock{mutex_};
  counters_[name] += by;
}

std::string Metrics::render() const {
  std::ostringstream out;
  std::scoped_lock lock{mutex_};
  out << "# HELP boxoffice_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE boxoffice_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out << "boxoffice_http_requests_total{route=\"" << label_value(key.first) << "\",status=\""
        << key.second << "\"} " << count << '\n';
  }
  out << "# HELP boxoffice_http_request_duration_seconds Time to answer, by route.\n"
         "# TYPE boxoffice_http_request_duration_seconds histogram\n";
  for (const auto& [route, latency] : latency_) {
    const auto label = label_value(route);
    for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
      out << "boxoffice_http_request_duration_seconds_bucket{route=\"" << label << "\",le=\""
          << bucket_bounds[i] << "\"} " << latency.buckets[i] << '\n';
    }
    out << "boxoffice_http_request_duration_seconds_bucket{route=\"" << label << "\",le=\"+Inf\"} "
        << latency.count << '\n'
        << "boxoffice_http_request_duration_seconds_sum{route=\"" << label << "\"} "
        << latency.sum_seconds << '\n'
        << "boxoffice_http_request_duration_seconds_count{route=\"" << label << "\"} "
        << latency.count << '\n';
  }
  out << "# HELP boxoffice_http_inflight_requests Requests being handled now.\n"
         "# TYPE boxoffice_http_inflight_requests gauge\n"
         "boxoffice_http_inflight_requests "
      << inflight_.load(std::memory_order_relaxed) << '\n'
      << "# HELP boxoffice_http_rejected_overload_total Requests and connections refused with "
         "503 because limits were reached.\n"
         "# TYPE boxoffice_http_rejected_overload_total counter\n"
         "boxoffice_http_rejected_overload_total "
      << rejected_overload_.load(std::memory_order_relaxed) << '\n';
  for (const auto& [name, value] : counters_) {
    out << "# TYPE " << name << " counter\n" << name << ' ' << value << '\n';
  }
  return out.str();
}

}  // namespace boxoffice::http
