// Event status: the admin's moves, the automatic sold-out flag, and when a sale is open.
#include "domain/event_rules.hpp"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace boxoffice::domain {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::system_clock::time_point;

constexpr EventStatus all_statuses[] = {EventStatus::scheduled, EventStatus::on_sale,
                                        EventStatus::paused, EventStatus::sold_out,
                                        EventStatus::cancelled};

TEST(EventStatus, RoundTripsItsSpelling) {
  for (const EventStatus status : all_statuses) {
    EXPECT_EQ(parse_event_status(to_string(status)), status);
  }
  EXPECT_EQ(to_string(EventStatus::on_sale), "on_sale");
  EXPECT_EQ(to_string(EventStatus::sold_out), "sold_out");
  EXPECT_EQ(parse_event_status("on-sale"), std::nullopt);
}

TEST(EventStatus, LetsAdminsAskOnlyForOnSalePausedOrCancelled) {
  EXPECT_EQ(parse_admin_status("on_sale").value(), EventStatus::on_sale);
  EXPECT_EQ(parse_admin_status("paused").value(), EventStatus::paused);
  EXPECT_EQ(parse_admin_status("cancelled").value(), EventStatus::cancelled);
  for (const char* text : {"scheduled", "sold_out", "", "closed", "ON_SALE"}) {
    const auto result = parse_admin_status(text);
    ASSERT_FALSE(result) << text;
    EXPECT_EQ(result.error().field, "status");
    EXPECT_EQ(result.error().message, "must be one of on_sale, paused, cancelled");
  }
}

TEST(EventStatus, AllowsTheAdminTransitionsAndNoOthers) {
  using S = EventStatus;
  const std::set<std::pair<S, S>> legal{
      {S::scheduled, S::on_sale},
      {S::on_sale, S::paused},
      {S::paused, S::on_sale},
      {S::scheduled, S::cancelled},
      {S::on_sale, S::cancelled},
      {S::paused, S::cancelled},
      {S::sold_out, S::cancelled},
      // Repeats of the current status, so a retried request succeeds.
      {S::on_sale, S::on_sale},
      {S::paused, S::paused},
      {S::cancelled, S::cancelled},
  };
  for (const S from : all_statuses) {
    for (const S to : all_statuses) {
      const bool expected = legal.contains({from, to});
      EXPECT_EQ(can_admin_set(from, to), expected) << to_string(from) << " -> " << to_string(to);
      const auto result = admin_set_status(from, to);
      ASSERT_EQ(result.has_value(), expected);
      if (expected) {
        EXPECT_EQ(result.value(), to);
      } else {
        EXPECT_EQ(result.error(), (TransitionError{to_string(from), to_string(to)}));
      }
    }
  }
}

TEST(EventStatus, KeepsACancelledEventCancelled) {
  EXPECT_EQ(admin_set_status(EventStatus::cancelled, EventStatus::on_sale).error().message(),
            "cannot change from cancelled to on_sale");
}

TEST(EventStatus, MarksAndClearsSoldOutFromTheSeatsLeft) {
  EXPECT_EQ(reconcile_sold_out(EventStatus::on_sale, 0), EventStatus::sold_out);
  EXPECT_EQ(reconcile_sold_out(EventStatus::on_sale, 1), EventStatus::on_sale);
  EXPECT_EQ(reconcile_sold_out(EventStatus::sold_out, 1), EventStatus::on_sale);
  EXPECT_EQ(reconcile_sold_out(EventStatus::sold_out, 0), EventStatus::sold_out);
  for (const EventStatus other :
       {EventStatus::scheduled, EventStatus::paused, EventStatus::cancelled}) {
    EXPECT_EQ(reconcile_sold_out(other, 0), other);
    EXPECT_EQ(reconcile_sold_out(other, 5), other);
  }
}

TEST(EventStatus, ReopeningASaleWithNothingLeftEndsSoldOut) {
  const EventStatus reopened = admin_set_status(EventStatus::paused, EventStatus::on_sale).value();
  EXPECT_EQ(reconcile_sold_out(reopened, 0), EventStatus::sold_out);
}

TEST(SaleOpen, OpensWhenOnSaleAndTheStartHasCome) {
  const TimePoint start = TimePoint{} + 1'800'000'000s;
  EXPECT_TRUE(is_sale_open(EventStatus::on_sale, start, start));
  EXPECT_TRUE(is_sale_open(EventStatus::on_sale, start, start + 1h));
  EXPECT_FALSE(is_sale_open(EventStatus::on_sale, start, start - 1ns));
  for (const EventStatus other : {EventStatus::scheduled, EventStatus::paused,
                                  EventStatus::sold_out, EventStatus::cancelled}) {
    EXPECT_FALSE(is_sale_open(other, start, start + 1h)) << to_string(other);
  }
}

TEST(SaleOpen, WorksOnUnixSeconds) {
  EXPECT_TRUE(is_sale_open(EventStatus::on_sale, std::int64_t{100}, std::int64_t{100}));
  EXPECT_FALSE(is_sale_open(EventStatus::on_sale, std::int64_t{100}, std::int64_t{99}));
  EXPECT_FALSE(is_sale_open(EventStatus::paused, std::int64_t{100}, std::int64_t{200}));
}

TEST(EventStatus, ListsEverythingButCancelledEvents) {
  for (const EventStatus status : all_statuses) {
    EXPECT_EQ(is_listed(status), status != EventStatus::cancelled) << to_string(status);
  }
}

}  // namespace
}  // namespace boxoffice::domain
