#include "rush/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace boxoffice::rush {
namespace {

// The exact value at a quantile, by the same rank rule: the ceil(q*n)-th smallest.
std::uint64_t exact(std::vector<std::uint64_t> values, double quantile) {
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(std::ceil(quantile * static_cast<double>(values.size())));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  return values[rank - 1];
}

void expect_within_one_percent(std::uint64_t actual, std::uint64_t expected) {
  const auto tolerance = std::max(1.0, static_cast<double>(expected) * 0.01);
  EXPECT_NEAR(static_cast<double>(actual), static_cast<double>(expected), tolerance)
      << "expected " << expected;
}

TEST(Histogram, EmptyAnswersZero) {
  const Histogram histogram;
  EXPECT_EQ(histogram.count(), 0U);
  EXPECT_EQ(histogram.percentile(0.5), 0U);
  EXPECT_EQ(histogram.max(), 0U);
  EXPECT_EQ(histogram.min(), 0U);
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram histogram;
  for (std::uint64_t value = 1; value <= 100; ++value) {
    histogram.record(value);
  }
  EXPECT_EQ(histogram.count(), 100U);
  EXPECT_EQ(histogram.percentile(0.5), 50U);
  EXPECT_EQ(histogram.percentile(0.9), 90U);
  EXPECT_EQ(histogram.percentile(0.99), 99U);
  EXPECT_EQ(histogram.percentile(1.0), 100U);
  EXPECT_EQ(histogram.percentile(0.0), 1U);
  EXPECT_DOUBLE_EQ(histogram.mean(), 50.5);
}

TEST(Histogram, UniformRangeWithinOnePercent) {
  Histogram histogram;
  std::vector<std::uint64_t> values;
  for (std::uint64_t value = 1; value <= 1'000'000; ++value) {
    histogram.record(value);
    values.push_back(value);
  }
  for (const double quantile : {0.5, 0.9, 0.99, 0.999}) {
    expect_within_one_percent(histogram.percentile(quantile), exact(values, quantile));
  }
  EXPECT_EQ(histogram.max(), 1'000'000U);
  EXPECT_EQ(histogram.min(), 1U);
}

TEST(Histogram, LogNormalLatenciesWithinOnePercent) {
  std::mt19937_64 random{42};
  std::lognormal_distribution<double> latency{std::log(2'000.0), 1.2};
  Histogram histogram;
  std::vector<std::uint64_t> values;
  for (int i = 0; i < 200'000; ++i) {
    const auto value = static_cast<std::uint64_t>(latency(random)) + 1;
    histogram.record(value);
    values.push_back(value);
  }
  for (const double quantile : {0.5, 0.9, 0.99, 0.999}) {
    expect_within_one_percent(histogram.percentile(quantile), exact(values, quantile));
  }
  EXPECT_EQ(histogram.max(), *std::max_element(values.begin(), values.end()));
}

TEST(Histogram, OutlierIsTheMaximumAndTheLastPercentile) {
  Histogram histogram;
  for (int i = 0; i < 999; ++i) {
    histogram.record(1'000);
  }
  histogram.record(30'000'000);
  expect_within_one_percent(histogram.percentile(0.99), 1'000);
  EXPECT_EQ(histogram.percentile(1.0), 30'000'000U);
  EXPECT_EQ(histogram.max(), 30'000'000U);
}

TEST(Histogram, HugeValuesDoNotOverflow) {
  Histogram histogram;
  histogram.record(UINT64_MAX);
  histogram.record(UINT64_MAX / 3);
  EXPECT_EQ(histogram.max(), UINT64_MAX);
  EXPECT_EQ(histogram.percentile(1.0), UINT64_MAX);
  expect_within_one_percent(histogram.percentile(0.5), UINT64_MAX / 3);
}

TEST(Histogram, MergeEqualsRecordingEverythingInOne) {
  Histogram left;
  Histogram right;
  Histogram both;
  for (std::uint64_t value = 1; value <= 50'000; ++value) {
    (value % 3 == 0 ? left : right).record(value * 7);
    both.record(value * 7);
  }
  left.merge(right);
  EXPECT_EQ(left.count(), both.count());
  EXPECT_EQ(left.min(), both.min());
  EXPECT_EQ(left.max(), both.max());
  for (const double quantile : {0.5, 0.9, 0.99, 0.999}) {
    EXPECT_EQ(left.percentile(quantile), both.percentile(quantile));
  }
}

}  // namespace
}  // namespace boxoffice::rush
