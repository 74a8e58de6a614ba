// A latency histogram with log-linear buckets in the manner of HdrHistogram: every power
// of two is cut into 128 equal sub-buckets, so a recorded value is known to within 1/128
// (under 0.8 %) whatever its magnitude, in a fixed few tens of kilobytes. Values below 256
// are exact. Not thread-safe: each worker thread keeps its own and they are merged.
#pragma once

#include <cstdint>
#include <vector>

namespace boxoffice::rush {

class Histogram {
 public:
  Histogram();

  void record(std::uint64_t value);
  void merge(const Histogram& other);

  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] std::uint64_t min() const noexcept { return count_ == 0 ? 0 : min_; }
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  [[nodiscard]] double mean() const noexcept;
  // The value below or at which `quantile` (0..1) of the recorded values fall: the middle of
  // the bucket holding that rank, clamped to the exact min and max; the exact max for the
  // last rank. 0 when empty.
  [[nodiscard]] std::uint64_t percentile(double quantile) const;

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t min_ = 0;
  std::uint64_t max_ = 0;
  long double sum_ = 0;
};

}  // namespace boxoffice::rush
