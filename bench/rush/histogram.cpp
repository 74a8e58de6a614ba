#include "rush/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace boxoffice::rush {
namespace {

constexpr unsigned sub_bucket_bits = 8;
constexpr std::uint64_t sub_bucket_count = std::uint64_t{1} << sub_bucket_bits;  // 256
constexpr std::uint64_t half_count = sub_bucket_count / 2;                       // 128
constexpr unsigned value_bits = 64;
constexpr std::size_t bucket_total = sub_bucket_count + (value_bits - sub_bucket_bits) * half_count;

// Values below 256 map to themselves; above, the value's top eight bits (the leading one
// and seven more) pick one of 128 sub-buckets within its power of two.
std::size_t bucket_of(std::uint64_t value) {
  if (value < sub_bucket_count) {
    return static_cast<std::size_t>(value);
  }
  const auto shift = static_cast<unsigned>(std::bit_width(value)) - sub_bucket_bits;
  const auto top = value >> shift;  // in [128, 256)
  return static_cast<std::size_t>(sub_bucket_count + (shift - 1) * half_count + (top - half_count));
}

struct Range {
  std::uint64_t low;
  std::uint64_t high;  // inclusive
};

Range range_of(std::size_t bucket) {
  if (bucket < sub_bucket_count) {
    return {bucket, bucket};
  }
  const auto offset = bucket - sub_bucket_count;
  const auto shift = static_cast<unsigned>(offset / half_count) + 1;
  const auto top = offset % half_count + half_count;
  const auto low = static_cast<std::uint64_t>(top) << shift;
  return {low, low + ((std::uint64_t{1} << shift) - 1)};
}

}  // namespace

Histogram::Histogram() : counts_(bucket_total, 0) {}

void Histogram::record(std::uint64_t value) {
  ++counts_[bucket_of(value)];
  if (count_ == 0 || value < min_) {
    min_ = value;
  }
  max_ = std::max(max_, value);
  ++count_;
  sum_ += static_cast<long double>(value);
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0) {
    return;
  }
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    counts_[i] += other.counts_[i];
  }
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

double Histogram::mean() const noexcept {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::uint64_t Histogram::percentile(double quantile) const {
  if (count_ == 0) {
    return 0;
  }
  quantile = std::clamp(quantile, 0.0, 1.0);
  // The rank of the value asked for, 1-based: p50 of 1..100 is the 50th value.
  auto rank = static_cast<std::uint64_t>(std::ceil(quantile * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  if (rank == count_) {
    return max_;
  }
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const auto range = range_of(i);
      const auto middle = range.low + (range.high - range.low) / 2;
      return std::clamp(middle, min_, max_);
    }
  }
  return max_;
}

}  // namespace boxoffice::rush
