// Money: currency and price checks, price lists per category, and overflow-safe totals.
#include "domain/money.hpp"

#include "test_layouts.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace boxoffice::domain {
namespace {

using test_support::build;
using test_support::section;

constexpr MinorUnits int64_max = std::numeric_limits<MinorUnits>::max();
constexpr MinorUnits int64_min = std::numeric_limits<MinorUnits>::min();

SeatMap two_category_map() {
  return build(VenueLayout{{section("Stalls", "standard", {2}), section("Boxes", "vip", {2})},
                           {AreaLayout{"Floor", "standard", 2}}});
}

TEST(Currency, AcceptsThreeUppercaseLetters) {
  for (const char* code : {"EUR", "USD", "JPY", "XXX"}) {
    EXPECT_TRUE(is_currency_code(code)) << code;
    const auto result = validate_currency(code);
    ASSERT_TRUE(result);
    EXPECT_EQ(*result, code);
  }
}

TEST(Currency, RefusesAnythingElse) {
  for (const char* code : {"", "EU", "EURO", "eur", "Eur", "E1R", "E R", "\xc3\x89UR"}) {
    EXPECT_FALSE(is_currency_code(code)) << code;
    const auto result = validate_currency(code);
    ASSERT_FALSE(result) << code;
    EXPECT_EQ(result.error().field, "currency");
  }
}

TEST(Price, AcceptsZeroThroughOneHundredMillion) {
  EXPECT_EQ(*validate_price(0, "prices.vip"), 0);
  EXPECT_EQ(*validate_price(4550, "prices.vip"), 4550);
  EXPECT_EQ(*validate_price(100'000'000, "prices.vip"), 100'000'000);
}

TEST(Price, RefusesNegativeAndExcessiveAmounts) {
  for (const std::int64_t amount :
       {std::int64_t{-1}, std::int64_t{100'000'001}, int64_min, int64_max}) {
    const auto result = validate_price(amount, "prices.vip");
    ASSERT_FALSE(result) << amount;
    EXPECT_EQ(result.error().field, "prices.vip");
    EXPECT_EQ(result.error().message, "must be between 0 and 100000000 minor units");
  }
}

TEST(CheckedArithmetic, AddsUntilOverflow) {
  EXPECT_EQ(checked_add(2, 3), 5);
  EXPECT_EQ(checked_add(int64_max - 1, 1), int64_max);
  EXPECT_EQ(checked_add(int64_max, 1), std::nullopt);
  EXPECT_EQ(checked_add(int64_min, -1), std::nullopt);
}

TEST(CheckedArithmetic, MultipliesUntilOverflow) {
  EXPECT_EQ(checked_multiply(2500, 4), 10'000);
  EXPECT_EQ(checked_multiply(price_max, 200'000), 20'000'000'000'000);
  EXPECT_EQ(checked_multiply(int64_max / 2 + 1, 2), std::nullopt);
  EXPECT_EQ(checked_multiply(int64_min, -1), std::nullopt);
}

TEST(PriceList, PricesEveryCategory) {
  const SeatMap map = two_category_map();
  const auto prices =
      make_price_list(map, std::vector<PriceEntry>{{"vip", 9000}, {"standard", 4500}});
  ASSERT_TRUE(prices);
  EXPECT_EQ(prices->size(), 2U);
  EXPECT_EQ(prices->price(*map.find_category("standard")), 4500);
  EXPECT_EQ(prices->price(*map.find_category("vip")), 9000);
}

TEST(PriceList, RefusesAMissingCategory) {
  const SeatMap map = two_category_map();
  const auto prices = make_price_list(map, std::vector<PriceEntry>{{"standard", 4500}});
  ASSERT_FALSE(prices);
  EXPECT_EQ(prices.error().field, "prices.vip");
  EXPECT_EQ(prices.error().message, "every category of the venue needs a price; 'vip' has none");
  EXPECT_EQ(make_price_list(map, {}).error().field, "prices.standard");
}

TEST(PriceList, RefusesAnUnknownCategory) {
  const SeatMap map = two_category_map();
  const auto prices = make_price_list(
      map, std::vector<PriceEntry>{{"standard", 4500}, {"vip", 9000}, {"balcony", 2000}});
  ASSERT_FALSE(prices);
  EXPECT_EQ(prices.error().field, "prices.balcony");
  EXPECT_EQ(prices.error().message, "'balcony' is not a category of the venue");
}

TEST(PriceList, RefusesACategoryPricedTwice) {
  const SeatMap map = two_category_map();
  const auto prices = make_price_list(
      map, std::vector<PriceEntry>{{"standard", 4500}, {"vip", 9000}, {"standard", 4000}});
  ASSERT_FALSE(prices);
  EXPECT_EQ(prices.error().field, "prices.standard");
}

TEST(PriceList, RefusesAnOutOfRangePrice) {
  const SeatMap map = two_category_map();
  const auto prices =
      make_price_list(map, std::vector<PriceEntry>{{"standard", 4500}, {"vip", -1}});
  ASSERT_FALSE(prices);
  EXPECT_EQ(prices.error().field, "prices.vip");
}

TEST(TotalPrice, AddsThePriceOfEachSeatsCategory) {
  const SeatMap map = two_category_map();
  const PriceList prices =
      make_price_list(map, std::vector<PriceEntry>{{"standard", 4500}, {"vip", 9000}}).value();
  const std::vector<SeatIndex> seats{*map.find("s0-r0-1"), *map.find("s1-r0-2"), *map.find("a0-1")};
  EXPECT_EQ(total_price(map, prices, seats).value(), 4500 + 9000 + 4500);
  EXPECT_EQ(total_price(map, prices, {}).value(), 0);
}

TEST(TotalPrice, RefusesASeatOutsideTheMap) {
  const SeatMap map = two_category_map();
  const PriceList prices =
      make_price_list(map, std::vector<PriceEntry>{{"standard", 1}, {"vip", 1}}).value();
  const std::vector<SeatIndex> seats{0, static_cast<SeatIndex>(map.size())};
  EXPECT_EQ(total_price(map, prices, seats).error(), TotalError::unknown_seat);
}

TEST(TotalPrice, RefusesAPriceListOfAnotherMap) {
  const SeatMap small = build(VenueLayout{{section("Stalls", "standard", {2})}, {}});
  const SeatMap map = two_category_map();
  const PriceList prices =
      make_price_list(small, std::vector<PriceEntry>{{"standard", 100}}).value();
  const std::vector<SeatIndex> seats{*map.find("s1-r0-1")};  // a vip seat: category 1
  EXPECT_EQ(total_price(map, prices, seats).error(), TotalError::unknown_seat);
}

TEST(TotalPrice, CannotOverflowWithinTheLimits) {
  // The largest venue at the highest price stays far below the int64 range.
  EXPECT_TRUE(checked_multiply(price_max, venue_capacity_max).has_value());
}

}  // namespace
}  // namespace boxoffice::domain
