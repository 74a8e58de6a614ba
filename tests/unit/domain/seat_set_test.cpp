// SeatSet: membership and range counts across word boundaries.
#include "domain/seat_set.hpp"

#include <gtest/gtest.h>

namespace boxoffice::domain {
namespace {

TEST(SeatSet, StartsEmptyOrFull) {
  const SeatSet empty(130);
  EXPECT_EQ(empty.size(), 130U);
  EXPECT_EQ(empty.count(), 0U);
  EXPECT_FALSE(empty.contains(0));

  const SeatSet full(130, true);
  EXPECT_EQ(full.count(), 130U);  // no stray bits past the end of the last word
  EXPECT_TRUE(full.contains(129));
  EXPECT_FALSE(full.contains(130));
}

TEST(SeatSet, InsertsAndErases) {
  SeatSet set(100);
  set.insert(3);
  set.insert(64);
  set.insert(64);
  EXPECT_TRUE(set.contains(3));
  EXPECT_TRUE(set.contains(64));
  EXPECT_EQ(set.count(), 2U);
  set.erase(3);
  set.erase(5);
  EXPECT_FALSE(set.contains(3));
  EXPECT_EQ(set.count(), 1U);
}

TEST(SeatSet, IgnoresIndexesBeyondItsSize) {
  SeatSet set(10);
  set.insert(10);
  set.insert(4'000'000'000U);
  EXPECT_EQ(set.count(), 0U);
  EXPECT_FALSE(set.contains(10));
}

TEST(SeatSet, CountsARangeAcrossWords) {
  const SeatSet full(300, true);
  EXPECT_EQ(full.count(0, 300), 300U);
  EXPECT_EQ(full.count(60, 10), 10U);
  EXPECT_EQ(full.count(63, 130), 130U);
  EXPECT_EQ(full.count(64, 64), 64U);
  EXPECT_EQ(full.count(250, 100), 50U);  // clipped to the size
  EXPECT_EQ(full.count(300, 5), 0U);
  EXPECT_EQ(full.count(7, 0), 0U);

  SeatSet sparse(300);
  for (SeatIndex i = 0; i < 300; i += 3) {
    sparse.insert(i);
  }
  for (SeatIndex first = 0; first < 300; first += 7) {
    for (std::size_t length : {1U, 5U, 63U, 64U, 65U, 200U}) {
      std::size_t expected = 0;
      for (std::size_t i = first; i < first + length && i < 300; ++i) {
        expected += sparse.contains(static_cast<SeatIndex>(i)) ? 1 : 0;
      }
      EXPECT_EQ(sparse.count(first, length), expected) << first << "+" << length;
    }
  }
}

TEST(SeatSet, ComparesByMembers) {
  SeatSet a(10);
  SeatSet b(10);
  a.insert(2);
  EXPECT_NE(a, b);
  b.insert(2);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace boxoffice::domain
