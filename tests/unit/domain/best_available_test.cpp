// Best available: the rule in best_available.hpp, case by case, then checked against a
// brute-force reading of the rule on random seat maps, and on a 50,000-seat venue.
#include "domain/best_available.hpp"

#include "test_layouts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>

namespace boxoffice::domain {
namespace {

using test_support::build;
using test_support::free_from_pattern;
using test_support::ids_of;
using test_support::rows_map;
using test_support::section;
using test_support::take;

using Ids = std::vector<std::string>;

// The ids chosen, or a failure the test did not expect.
Ids choose(const SeatMap& map, std::string_view category, std::int64_t quantity,
           const SeatSet& free, bool expect_together) {
  const auto selection = best_available(map, category, quantity, free);
  if (!selection) {
    ADD_FAILURE() << "best available failed with error " << static_cast<int>(selection.error());
    return {};
  }
  EXPECT_EQ(selection->together, expect_together);
  return ids_of(map, selection->seats);
}

Ids choose(const SeatMap& map, std::int64_t quantity, const SeatSet& free, bool expect_together) {
  return choose(map, "standard", quantity, free, expect_together);
}

TEST(BestAvailable, TakesTheCentralPairOfAnEmptyRow) {
  const SeatMap map = rows_map({10});
  EXPECT_EQ(choose(map, 2, SeatSet(map.size(), true), true), (Ids{"s0-r0-5", "s0-r0-6"}));
}

TEST(BestAvailable, BreaksACentralTieTowardsTheLeftForAnOddQuantityInAnEvenRow) {
  const SeatMap map = rows_map({10});
  EXPECT_EQ(choose(map, 3, SeatSet(map.size(), true), true),
            (Ids{"s0-r0-4", "s0-r0-5", "s0-r0-6"}));
}

TEST(BestAvailable, CentresAnOddQuantityInAnOddRow) {
  const SeatMap map = rows_map({9});
  EXPECT_EQ(choose(map, 3, SeatSet(map.size(), true), true),
            (Ids{"s0-r0-4", "s0-r0-5", "s0-r0-6"}));
  EXPECT_EQ(choose(map, 1, SeatSet(map.size(), true), true), (Ids{"s0-r0-5"}));
}

TEST(BestAvailable, CanTakeAWholeRow) {
  const SeatMap map = rows_map({4, 4});
  EXPECT_EQ(choose(map, 4, SeatSet(map.size(), true), true),
            (Ids{"s0-r0-1", "s0-r0-2", "s0-r0-3", "s0-r0-4"}));
}

TEST(BestAvailable, PrefersAnEdgeBlockInAnEarlierRowToACentralBlockFurtherBack) {
  const SeatMap map = rows_map({10, 10});
  const SeatSet free = free_from_pattern(map, {"xxxxxxx..."});
  EXPECT_EQ(choose(map, 3, free, true), (Ids{"s0-r0-8", "s0-r0-9", "s0-r0-10"}));
}

TEST(BestAvailable, PrefersTheBlockNearestTheCentreOfTheRow) {
  const SeatMap map = rows_map({10});
  EXPECT_EQ(choose(map, 2, free_from_pattern(map, {"..x....x.."}), true),
            (Ids{"s0-r0-5", "s0-r0-6"}));
  EXPECT_EQ(choose(map, 2, free_from_pattern(map, {"...xxx.x.."}), true),
            (Ids{"s0-r0-2", "s0-r0-3"}));
}

TEST(BestAvailable, SlidesTheBlockTowardsTheCentreWithinAFreeStretch) {
  const SeatMap map = rows_map({10});
  EXPECT_EQ(choose(map, 2, free_from_pattern(map, {"xxxxx....."}), true),
            (Ids{"s0-r0-6", "s0-r0-7"}));
  EXPECT_EQ(choose(map, 2, free_from_pattern(map, {".....xxxxx"}), true),
            (Ids{"s0-r0-4", "s0-r0-5"}));
}

TEST(BestAvailable, BreaksATieBetweenEquallyCentralBlocksTowardsTheLeft) {
  const SeatMap map = rows_map({10});
  EXPECT_EQ(choose(map, 2, free_from_pattern(map, {"...xxxx..."}), true),
            (Ids{"s0-r0-2", "s0-r0-3"}));
}

TEST(BestAvailable, TakesTheLastFreeSeat) {
  const SeatMap map = rows_map({10, 10});
  SeatSet free(map.size());
  free.insert(*map.find("s0-r1-7"));
  EXPECT_EQ(choose(map, 1, free, true), (Ids{"s0-r1-7"}));
  EXPECT_EQ(best_available(map, "standard", 2, free).error(), BestAvailableError::not_enough_seats);
}

TEST(BestAvailable, UsesALaterRowWithAnAdjacentBlockBeforeSplitting) {
  const SeatMap map = rows_map({4, 4});
  const SeatSet free = free_from_pattern(map, {"..x.", "x..."});
  EXPECT_EQ(choose(map, 3, free, true), (Ids{"s0-r1-2", "s0-r1-3", "s0-r1-4"}));
}

TEST(BestAvailable, SplitsWhenNoRowHasAnAdjacentBlock) {
  const SeatMap map = rows_map({6, 6});
  const SeatSet free = free_from_pattern(map, {".x.x.x", "x.x.x."});
  // Row A has seats 1, 3 and 5 free and gives them all; row B gives its most central, 4.
  EXPECT_EQ(choose(map, 4, free, false), (Ids{"s0-r0-1", "s0-r0-3", "s0-r0-5", "s0-r1-4"}));
}

TEST(BestAvailable, SplitsTakingTheMostCentralFreeSeatsOfARow) {
  const SeatMap map = rows_map({8});
  const SeatSet free = free_from_pattern(map, {".x..x..."});
  // From the centre outwards: 4 and 5 (taken), then 3 and 6, then 2 (taken) and 7.
  EXPECT_EQ(choose(map, 4, free, false), (Ids{"s0-r0-3", "s0-r0-4", "s0-r0-6", "s0-r0-7"}));
}

TEST(BestAvailable, SplitsAQuantityLargerThanAnyRow) {
  const SeatMap map = rows_map({5, 5, 5});
  EXPECT_EQ(choose(map, 7, SeatSet(map.size(), true), false),
            (Ids{"s0-r0-1", "s0-r0-2", "s0-r0-3", "s0-r0-4", "s0-r0-5", "s0-r1-2", "s0-r1-3"}));
}

TEST(BestAvailable, NeverFailsWhileEnoughSeatsAreFree) {
  const SeatMap map = rows_map({3, 3, 3});
  const SeatSet free = free_from_pattern(map, {"x.x", ".x.", "x.x"});
  EXPECT_EQ(choose(map, 4, free, false), (Ids{"s0-r0-2", "s0-r1-1", "s0-r1-3", "s0-r2-2"}));
}

TEST(BestAvailable, TakesTheLowestFreePlacesOfAnArea) {
  const SeatMap map = build(VenueLayout{{}, {AreaLayout{"Floor", "standing", 5}}});
  SeatSet free(map.size(), true);
  take(map, free, {"a0-1", "a0-3"});
  EXPECT_EQ(choose(map, "standing", 2, free, true), (Ids{"a0-2", "a0-4"}));
  EXPECT_EQ(choose(map, "standing", 3, free, true), (Ids{"a0-2", "a0-4", "a0-5"}));
  EXPECT_EQ(best_available(map, "standing", 4, free).error(), BestAvailableError::not_enough_seats);
}

TEST(BestAvailable, MovesOnToTheNextAreaWhenOneIsTooFull) {
  const SeatMap map = build(
      VenueLayout{{}, {AreaLayout{"Front", "standing", 3}, AreaLayout{"Back", "standing", 3}}});
  SeatSet free(map.size(), true);
  take(map, free, {"a0-2"});
  EXPECT_EQ(choose(map, "standing", 3, free, true), (Ids{"a1-1", "a1-2", "a1-3"}));
  EXPECT_EQ(choose(map, "standing", 2, free, true), (Ids{"a0-1", "a0-3"}));
}

TEST(BestAvailable, PrefersAnAreaThatTakesTheWholePartyToSplittingRows) {
  const SeatMap map =
      build(VenueLayout{{section("Stalls", "mixed", {3})}, {AreaLayout{"Pit", "mixed", 10}}});
  const SeatSet free = free_from_pattern(map, {".x."});
  EXPECT_EQ(choose(map, "mixed", 2, free, true), (Ids{"a0-1", "a0-2"}));
}

TEST(BestAvailable, SplitsAcrossRowsAndThenAreas) {
  const SeatMap map =
      build(VenueLayout{{section("Stalls", "mixed", {3})}, {AreaLayout{"Pit", "mixed", 1}}});
  const SeatSet free = free_from_pattern(map, {".x."});
  EXPECT_EQ(choose(map, "mixed", 3, free, false), (Ids{"s0-r0-1", "s0-r0-3", "a0-1"}));
}

TEST(BestAvailable, FollowsSectionOrderAndSkipsOtherCategories) {
  const SeatMap map =
      build(VenueLayout{{section("Front", "standard", {4}), section("Boxes", "vip", {4}),
                         section("Back", "standard", {4})},
                        {}});
  SeatSet free(map.size(), true);
  take(map, free, {"s0-r0-1", "s0-r0-2", "s0-r0-3", "s0-r0-4"});
  EXPECT_EQ(choose(map, 2, free, true), (Ids{"s2-r0-2", "s2-r0-3"}));
  EXPECT_EQ(choose(map, "vip", 1, free, true), (Ids{"s1-r0-2"}));
}

TEST(BestAvailable, FailsWhenTheCategoryHasTooFewFreeSeats) {
  const SeatMap map =
      build(VenueLayout{{section("Front", "standard", {3}), section("Boxes", "vip", {10})}, {}});
  const SeatSet free(map.size(), true);
  EXPECT_EQ(best_available(map, "standard", 4, free).error(), BestAvailableError::not_enough_seats);
  EXPECT_EQ(best_available(map, "standard", std::numeric_limits<std::int64_t>::max(), free).error(),
            BestAvailableError::not_enough_seats);
  EXPECT_EQ(best_available(map, "standard", 1, SeatSet(map.size())).error(),
            BestAvailableError::not_enough_seats);
}

TEST(BestAvailable, RefusesAnUnknownCategory) {
  const SeatMap map = rows_map({3});
  const SeatSet free(map.size(), true);
  EXPECT_EQ(best_available(map, "vip", 1, free).error(), BestAvailableError::unknown_category);
  EXPECT_EQ(best_available(map, CategoryIndex{1}, 1, free).error(),
            BestAvailableError::unknown_category);
}

TEST(BestAvailable, RefusesAQuantityBelowOne) {
  const SeatMap map = rows_map({3});
  const SeatSet free(map.size(), true);
  EXPECT_EQ(best_available(map, "standard", 0, free).error(), BestAvailableError::invalid_quantity);
  EXPECT_EQ(best_available(map, "standard", -2, free).error(),
            BestAvailableError::invalid_quantity);
}

TEST(BestAvailable, TreatsSeatsBeyondAShortFreeSetAsTaken) {
  const SeatMap map = rows_map({4, 4});
  const SeatSet free(4, true);  // covers row A only
  EXPECT_EQ(choose(map, 4, free, true), (Ids{"s0-r0-1", "s0-r0-2", "s0-r0-3", "s0-r0-4"}));
  EXPECT_EQ(best_available(map, "standard", 5, free).error(), BestAvailableError::not_enough_seats);
}

TEST(CountFree, CountsOnlyTheCategorysFreeSeats) {
  const SeatMap map =
      build(VenueLayout{{section("Front", "standard", {3}), section("Boxes", "vip", {10})},
                        {AreaLayout{"Floor", "standard", 5}}});
  SeatSet free(map.size(), true);
  take(map, free, {"s0-r0-2", "a0-5", "s1-r0-1"});
  EXPECT_EQ(count_free(map, *map.find_category("standard"), free), 6);
  EXPECT_EQ(count_free(map, *map.find_category("vip"), free), 9);
}

// The together rule read literally: every start in every run, in preference order.
std::optional<std::vector<SeatIndex>> reference_together(const SeatMap& map, CategoryIndex category,
                                                         std::uint32_t quantity,
                                                         const SeatSet& free) {
  for (const SeatRun& run : map.runs(category)) {
    if (run.kind == SeatKind::area_place) {
      std::vector<SeatIndex> places;
      for (std::uint32_t p = 0; p < run.count && places.size() < quantity; ++p) {
        if (free.contains(run.first + p)) {
          places.push_back(run.first + p);
        }
      }
      if (places.size() == quantity) {
        return places;
      }
      continue;
    }
    std::optional<std::uint32_t> best;
    double best_distance = 0;
    for (std::uint32_t start = 0; start + quantity <= run.count; ++start) {
      bool all_free = true;
      for (std::uint32_t p = start; p < start + quantity; ++p) {
        all_free = all_free && free.contains(run.first + p);
      }
      const double block_centre = start + (quantity - 1) / 2.0;
      const double distance = std::abs(block_centre - (run.count - 1) / 2.0);
      if (all_free && (!best || distance < best_distance)) {
        best = start;
        best_distance = distance;
      }
    }
    if (best) {
      std::vector<SeatIndex> block;
      for (std::uint32_t p = 0; p < quantity; ++p) {
        block.push_back(run.first + *best + p);
      }
      return block;
    }
  }
  return std::nullopt;
}

TEST(BestAvailable, AgreesWithTheRuleOnRandomSeatMaps) {
  const SeatMap map =
      build(VenueLayout{{section("A", "standard", {7, 8, 9, 1}), section("B", "vip", {5}),
                         section("C", "standard", {12, 3})},
                        {AreaLayout{"D", "standard", 6}}});
  const CategoryIndex standard = *map.find_category("standard");
  std::mt19937 random(20261201);  // fixed, so a failure reproduces
  for (int round = 0; round < 3000; ++round) {
    const double free_share = std::uniform_real_distribution<double>(0.1, 0.9)(random);
    SeatSet free(map.size());
    for (SeatIndex i = 0; i < map.size(); ++i) {
      if (std::bernoulli_distribution(free_share)(random)) {
        free.insert(i);
      }
    }
    const auto quantity = std::uniform_int_distribution<std::uint32_t>(1, 14)(random);
    const auto selection = best_available(map, standard, quantity, free);
    const std::int64_t available = count_free(map, standard, free);
    if (available < quantity) {
      ASSERT_FALSE(selection) << "round " << round;
      ASSERT_EQ(selection.error(), BestAvailableError::not_enough_seats);
      continue;
    }
    ASSERT_TRUE(selection) << "round " << round;
    const std::vector<SeatIndex>& seats = selection->seats;
    ASSERT_EQ(seats.size(), quantity) << "round " << round;
    ASSERT_TRUE(std::is_sorted(seats.begin(), seats.end()));
    ASSERT_EQ(std::adjacent_find(seats.begin(), seats.end()), seats.end()) << "a seat twice";
    for (const SeatIndex seat : seats) {
      ASSERT_TRUE(free.contains(seat)) << "round " << round;
      ASSERT_EQ(map.seat(seat).category_index, standard) << "round " << round;
    }
    const auto expected = reference_together(map, standard, quantity, free);
    ASSERT_EQ(selection->together, expected.has_value()) << "round " << round;
    if (expected) {
      ASSERT_EQ(seats, *expected) << "round " << round;
    }
  }
}

TEST(BestAvailable, SellsOutAFiftyThousandSeatVenueOneRequestAtATime) {
  VenueLayout layout;
  for (int s = 0; s < 5; ++s) {
    layout.sections.push_back(
        section("Section " + std::to_string(s), "standard", std::vector<std::int64_t>(100, 100)));
  }
  const SeatMap map = build(layout);
  ASSERT_EQ(map.size(), 50'000U);
  SeatSet free(map.size(), true);
  std::int64_t sold = 0;
  std::int64_t requests = 0;
  for (std::int64_t quantity = 1;; quantity = quantity % 8 + 1) {
    const auto selection = best_available(map, "standard", quantity, free);
    if (!selection) {
      ASSERT_EQ(selection.error(), BestAvailableError::not_enough_seats);
      ASSERT_LT(static_cast<std::int64_t>(free.count()), quantity);
      break;
    }
    for (const SeatIndex seat : selection->seats) {
      ASSERT_TRUE(free.contains(seat));
      free.erase(seat);
    }
    sold += quantity;
    ++requests;
    ASSERT_LT(requests, 50'001) << "the loop must end";
  }
  EXPECT_EQ(sold + static_cast<std::int64_t>(free.count()), 50'000);
  EXPECT_LT(free.count(), 8U);
}

TEST(BestAvailable, IsDeterministic) {
  const SeatMap map = rows_map({6, 6, 6});
  const SeatSet free = free_from_pattern(map, {"x.x.x.", ".x.xx.", "..x..x"});
  const auto first = best_available(map, "standard", 5, free);
  const auto second = best_available(map, "standard", 5, free);
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->seats, second->seats);
}

}  // namespace
}  // namespace boxoffice::domain
