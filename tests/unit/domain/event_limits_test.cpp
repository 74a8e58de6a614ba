// Per-event limits: their ranges and the hold-size check.
#include "domain/event_limits.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace boxoffice::domain {
namespace {

TEST(MaxTicketsPerOrder, AcceptsOneThroughFifty) {
  EXPECT_EQ(validate_max_tickets_per_order(1).value(), 1);
  EXPECT_EQ(validate_max_tickets_per_order(50).value(), 50);
  EXPECT_EQ(validate_max_tickets_per_order(max_tickets_per_order_default).value(), 8);
}

TEST(MaxTicketsPerOrder, RefusesOutOfRange) {
  for (const std::int64_t value : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{51},
                                   std::numeric_limits<std::int64_t>::max()}) {
    const auto result = validate_max_tickets_per_order(value);
    ASSERT_FALSE(result) << value;
    EXPECT_EQ(result.error().field, "max_tickets_per_order");
    EXPECT_EQ(result.error().message, "must be between 1 and 50");
  }
}

TEST(HoldSeconds, AcceptsOneSecondThroughAnHour) {
  EXPECT_EQ(validate_hold_seconds(1).value(), 1);
  EXPECT_EQ(validate_hold_seconds(2).value(), 2);
  EXPECT_EQ(validate_hold_seconds(hold_seconds_default).value(), 600);
  EXPECT_EQ(validate_hold_seconds(3600).value(), 3600);
}

TEST(HoldSeconds, RefusesOutOfRange) {
  for (const std::int64_t value :
       {std::int64_t{0}, std::int64_t{3601}, std::numeric_limits<std::int64_t>::min()}) {
    const auto result = validate_hold_seconds(value);
    ASSERT_FALSE(result) << value;
    EXPECT_EQ(result.error().field, "hold_seconds");
    EXPECT_EQ(result.error().message, "must be between 1 and 3600");
  }
}

TEST(SeatCount, AllowsOneUpToTheEventsMaximum) {
  EXPECT_EQ(check_seat_count(1, 8), SeatCountCheck::ok);
  EXPECT_EQ(check_seat_count(8, 8), SeatCountCheck::ok);
  EXPECT_EQ(check_seat_count(9, 8), SeatCountCheck::too_many);
  EXPECT_EQ(check_seat_count(std::numeric_limits<std::int64_t>::max(), 50),
            SeatCountCheck::too_many);
  EXPECT_EQ(check_seat_count(0, 8), SeatCountCheck::empty);
  EXPECT_EQ(check_seat_count(-4, 8), SeatCountCheck::empty);
}

}  // namespace
}  // namespace boxoffice::domain
