#include "rush/stats.hpp"

#include <algorithm>

namespace boxoffice::rush {
namespace {

constexpr std::size_t max_samples = 5;
constexpr std::size_t max_sample_body = 200;

void add_sample(std::vector<std::string>& samples, std::string sample) {
  if (samples.size() < max_samples) {
    samples.push_back(std::move(sample));
  }
}

}  // namespace

void OperationStats::merge(const OperationStats& other) {
  latency_us.merge(other.latency_us);
  for (const auto& [status, count] : other.statuses) {
    statuses[status] += count;
  }
  timeouts += other.timeouts;
  connect_errors += other.connect_errors;
  io_errors += other.io_errors;
  for (const auto& sample : other.samples) {
    add_sample(samples, sample);
  }
}

std::uint64_t OperationStats::requests() const {
  std::uint64_t total = failures();
  for (const auto& entry : statuses) {
    total += entry.second;
  }
  return total;
}

std::uint64_t OperationStats::server_errors() const {
  std::uint64_t total = 0;
  for (const auto& [status, count] : statuses) {
    if (status >= 500) {
      total += count;
    }
  }
  return total;
}

OperationStats& Recorder::at(std::string_view operation) {
  auto it = operations_.find(operation);
  if (it == operations_.end()) {
    it = operations_.emplace(std::string{operation}, OperationStats{}).first;
  }
  return it->second;
}

void Recorder::record(std::string_view operation, const Response& response) {
  auto& stats = at(operation);
  switch (response.failure) {
    case Failure::none: {
      ++stats.statuses[response.status];
      const auto micros =
          std::chrono::duration_cast<std::chrono::microseconds>(response.latency).count();
      stats.latency_us.record(static_cast<std::uint64_t>(std::max<std::int64_t>(micros, 0)));
      if (response.status >= 500) {
        add_sample(stats.samples, "HTTP " + std::to_string(response.status) + ": " +
                                      response.body.substr(0, max_sample_body));
      }
      return;
    }
    case Failure::timeout:
      ++stats.timeouts;
      break;
    case Failure::connect:
      ++stats.connect_errors;
      break;
    case Failure::io:
      ++stats.io_errors;
      break;
  }
  add_sample(stats.samples, std::string{to_string(response.failure)} + ": " + response.error);
}

void Recorder::merge(const Recorder& other) {
  for (const auto& [name, stats] : other.operations_) {
    at(name).merge(stats);
  }
}

std::uint64_t Recorder::count(std::string_view operation, unsigned status) const {
  const auto it = operations_.find(operation);
  if (it == operations_.end()) {
    return 0;
  }
  const auto found = it->second.statuses.find(status);
  return found == it->second.statuses.end() ? 0 : found->second;
}

}  // namespace boxoffice::rush
