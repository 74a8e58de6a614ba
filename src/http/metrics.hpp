// Prometheus metrics: per-route request counts and latency histograms, in-flight
// requests, overload rejections, and plain counters for the business events.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace boxoffice::http {

class Metrics {
 public:
  void observe_request(const std::string& route, unsigned status,
                       std::chrono::nanoseconds duration);
  void request_started() { inflight_.fetch_add(1, std::memory_order_relaxed); }
  void request_finished() { inflight_.fetch_sub(1, std::memory_order_relaxed); }
  void rejected_for_overload() { rejected_overload_.fetch_add(1, std::memory_order_relaxed); }

  // A monotonically increasing counter, e.g. "boxoffice_holds_total".
  void increment(const std::string& name, double by = 1);

  [[nodiscard]] std::string render() const;

 private:
  static constexpr std::size_t bucket_count = 13;
  struct RouteLatency {
    std::array<std::uint64_t, bucket_count> buckets{};
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::string, RouteLatency> latency_;
  std::map<std::string, double> counters_;
  std::atomic<std::int64_t> inflight_{0};
  std::atomic<std::uint64_t> rejected_overload_{0};
};

}  // namespace boxoffice::http
