// The contract of store::InventoryStore, written once and run on every backend listed in
// inventory_backends(): holds, releases, expiry, best available, checkout locks, the sold-seat
// mirror and its rebuild, and the races that must never sell or hold a seat twice. Time only
// moves when a test moves the TestClock, so expiry is checked to the instant.
#include "store/inventory_store.hpp"

#include "common/run_sync.hpp"
#include "domain/best_available.hpp"
#include "domain/seat_map.hpp"
#include "domain/venue_layout.hpp"
#include "store/memory/memory_inventory_store.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace boxoffice::store {
namespace {

using namespace std::chrono_literals;
using domain::SeatIndex;
using domain::SeatMap;
using Ids = std::vector<std::string>;
// (sold, held, available), so a whole tally is compared and printed in one go.
using Tally = std::tuple<std::int64_t, std::int64_t, std::int64_t>;

// Shared by every coroutine of the race tests, so it must be safe to read from any thread.
class TestClock final : public Clock {
 public:
  explicit TestClock(TimePoint start) : ticks_(start.time_since_epoch().count()) {}

  [[nodiscard]] TimePoint now() const override { return TimePoint{TimePoint::duration{ticks_}}; }
  void set(TimePoint time) { ticks_ = time.time_since_epoch().count(); }
  void advance(TimePoint::duration by) { ticks_ += by.count(); }

 private:
  std::atomic<TimePoint::rep> ticks_;
};

using InventoryFactory =
    std::function<std::unique_ptr<InventoryStore>(const Clock& clock, SoldSeatsLoader loader)>;

struct InventoryBackend {
  std::string name;
  InventoryFactory make;
};

void PrintTo(const InventoryBackend& backend, std::ostream* out) {
  *out << backend.name;
}

// One line per backend. Backends that keep state outside the process get it isolated by the
// random event and hold ids each test uses.
std::vector<InventoryBackend> inventory_backends() {
  return {
      {"Memory",
       [](const Clock& clock, SoldSeatsLoader loader) -> std::unique_ptr<InventoryStore> {
         return std::make_unique<MemoryInventoryStore>(clock, std::move(loader));
       }},
  };
}

boost::asio::awaitable<std::vector<std::string>> ready(std::vector<std::string> ids) {
  co_return ids;
}

SeatMap build_map(const domain::VenueLayout& layout) {
  auto map = domain::build_seat_map(layout);
  if (!map) {
    throw std::invalid_argument("test layout refused: " + map.error().field + ": " +
                                map.error().message);
  }
  return std::move(map).value();
}

// Two premium rows of 6 (ids s0-r{0,1}-N), then three standard rows of 10 (s1-r{0,1,2}-N).
SeatMap small_venue() {
  return build_map(domain::VenueLayout{
      .sections = {domain::SectionLayout{"Front", "premium", {{"A", 6}, {"B", 6}}},
                   domain::SectionLayout{"Stalls", "standard", {{"A", 10}, {"B", 10}, {"C", 10}}}},
      .areas = {}});
}

// 20 rows of 25: room for many parties, small enough to sell out quickly.
SeatMap five_hundred_seats() {
  domain::SectionLayout stalls{"Stalls", "standard", {}};
  for (int row = 0; row < 20; ++row) {
    stalls.rows.push_back({"R" + std::to_string(row + 1), 25});
  }
  return build_map(domain::VenueLayout{.sections = {std::move(stalls)}, .areas = {}});
}

std::string random_suffix() {
  std::random_device device;
  std::uniform_int_distribution<std::uint64_t> any;
  return std::to_string(any(device));
}

Tally tally(const SeatCounts& counts) {
  return {counts.sold, counts.held, counts.available};
}

Ids sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

class InventoryStoreTest : public testing::TestWithParam<InventoryBackend> {
 protected:
  static constexpr auto hold_duration = 600s;

  void SetUp() override {
    SoldSeatsLoader loader = [this](std::string event_id) {
      const auto it = sold_by_event_.find(event_id);
      auto ids = it == sold_by_event_.end() ? Ids{} : it->second;
      return ready(std::move(ids));
    };
    store_ = GetParam().make(clock_, std::move(loader));
  }

  // A fresh event id: its inventory starts from whatever sold_by_event_ says at first use.
  std::string new_event() { return "ev-" + random_suffix(); }

  SeatIndex seat(const std::string& id) const {
    const auto index = map_.find(id);
    if (!index) {
      throw std::invalid_argument("no seat " + id);
    }
    return *index;
  }

  std::vector<SeatIndex> seats(const Ids& ids) const {
    std::vector<SeatIndex> indexes;
    for (const auto& id : ids) {
      indexes.push_back(seat(id));
    }
    return indexes;
  }

  Ids ids(const std::vector<SeatIndex>& indexes) const {
    Ids result;
    for (const auto index : indexes) {
      result.emplace_back(map_.seat(index).id);
    }
    return result;
  }

  HoldRequest request(const std::string& user, const std::string& event,
                      std::chrono::seconds lasts = hold_duration) {
    return HoldRequest{.event_id = event,
                       .user_id = user,
                       .hold_id = event + "-hold-" + std::to_string(++holds_made_),
                       .expires_at = clock_.now() + lasts};
  }

  HoldOutcome hold_in(const std::string& event, const std::string& user, const Ids& wanted,
                      std::chrono::seconds lasts = hold_duration) {
    auto made = request(user, event, lasts);
    auto indexes = seats(wanted);
    return run_sync(store_->hold_seats(map_, std::move(made), std::move(indexes)));
  }

  HoldOutcome hold(const std::string& user, const Ids& wanted,
                   std::chrono::seconds lasts = hold_duration) {
    return hold_in(event_, user, wanted, lasts);
  }

  HoldOutcome best(const std::string& user, const std::string& category, std::int64_t quantity) {
    auto made = request(user, event_);
    const auto index = map_.find_category(category).value();
    return run_sync(store_->hold_best_available(map_, std::move(made), index, quantity));
  }

  std::optional<Hold> find(const std::string& hold_id) {
    return run_sync(store_->find_hold(hold_id));
  }

  bool release(const std::string& hold_id, const std::string& user) {
    return run_sync(store_->release_hold(hold_id, user));
  }

  Checkout begin_checkout(const std::string& hold_id, const std::string& user,
                          std::chrono::seconds grace = 60s) {
    return run_sync(store_->begin_checkout(hold_id, user, grace));
  }

  void abort_checkout(const std::string& hold_id) { run_sync(store_->abort_checkout(hold_id)); }

  void complete_checkout(const std::string& hold_id) {
    run_sync(store_->complete_checkout(map_, hold_id));
  }

  void mark_sold(const Ids& which) { run_sync(store_->mark_sold(map_, event_, seats(which))); }

  void mark_available(const Ids& which) {
    run_sync(store_->mark_available(map_, event_, seats(which)));
  }

  void expire_holds() { run_sync(store_->expire_holds()); }

  Availability availability_of(const std::string& event) {
    return run_sync(store_->availability(map_, event));
  }

  Tally counts_of(const std::string& event) { return tally(run_sync(store_->counts(map_, event))); }

  Tally counts() { return counts_of(event_); }

  SeatStatus status(const std::string& id) { return availability_of(event_).seats.at(seat(id)); }

  Ids with_status(SeatStatus wanted) {
    Ids result;
    const auto seen = availability_of(event_);
    for (std::size_t index = 0; index < seen.seats.size(); ++index) {
      if (seen.seats[index] == wanted) {
        result.emplace_back(map_.seat(static_cast<SeatIndex>(index)).id);
      }
    }
    return result;
  }

  // Every view of the event agrees: the per-seat statuses add up to the counts, both reads
  // give the same counts, and every seat is in exactly one state.
  void expect_consistent(const std::string& event) {
    const auto seen = availability_of(event);
    ASSERT_EQ(seen.seats.size(), map_.size());
    SeatCounts recount;
    for (const auto status : seen.seats) {
      ++(status == SeatStatus::sold   ? recount.sold
         : status == SeatStatus::held ? recount.held
                                      : recount.available);
    }
    EXPECT_EQ(tally(seen.counts), tally(recount));
    EXPECT_EQ(seen.counts.sold + seen.counts.held + seen.counts.available, map_.capacity());
    EXPECT_EQ(counts_of(event), tally(seen.counts));
  }

  void expect_consistent() { expect_consistent(event_); }

  TestClock clock_{TimePoint{std::chrono::seconds{1'750'000'000}}};
  std::unordered_map<std::string, Ids> sold_by_event_;
  SeatMap map_ = small_venue();
  std::string event_ = new_event();
  std::unique_ptr<InventoryStore> store_;
  int holds_made_ = 0;
};

// --- holding chosen seats ---------------------------------------------------------------

TEST_P(InventoryStoreTest, HoldsChosenSeatsUntilTheirExpiry) {
  const auto before = clock_.now();
  const auto outcome = hold("ann", {"s1-r0-4", "s1-r0-5"});
  ASSERT_TRUE(outcome.hold);
  EXPECT_TRUE(outcome.unavailable.empty());
  EXPECT_EQ(outcome.hold->event_id, event_);
  EXPECT_EQ(outcome.hold->user_id, "ann");
  EXPECT_EQ(sorted(ids(outcome.hold->seats)), (Ids{"s1-r0-4", "s1-r0-5"}));
  EXPECT_EQ(outcome.hold->expires_at, before + hold_duration);
  EXPECT_FALSE(outcome.hold->checking_out);

  const auto found = find(outcome.hold->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, "ann");
  EXPECT_EQ(found->expires_at, outcome.hold->expires_at);
  EXPECT_EQ(sorted(ids(found->seats)), (Ids{"s1-r0-4", "s1-r0-5"}));
  EXPECT_EQ(with_status(SeatStatus::held), (Ids{"s1-r0-4", "s1-r0-5"}));
  EXPECT_EQ(counts(), (Tally{0, 2, 40}));
  expect_consistent();
}

TEST_P(InventoryStoreTest, HoldsNothingWhenOneSeatIsTakenAndNamesExactlyTheConflicts) {
  ASSERT_TRUE(hold("bob", {"s1-r0-3"}).hold);
  mark_sold({"s1-r0-6"});

  const auto outcome = hold("ann", {"s1-r0-2", "s1-r0-3", "s1-r0-4", "s1-r0-5", "s1-r0-6"});
  EXPECT_FALSE(outcome.hold);
  EXPECT_EQ(sorted(ids(outcome.unavailable)), (Ids{"s1-r0-3", "s1-r0-6"}));
  for (const auto* free_seat : {"s1-r0-2", "s1-r0-4", "s1-r0-5"}) {
    EXPECT_EQ(status(free_seat), SeatStatus::available) << free_seat;
  }
  EXPECT_EQ(counts(), (Tally{1, 1, 40}));
  expect_consistent();
}

TEST_P(InventoryStoreTest, AFailedRequestKeepsTheUsersPreviousHold) {
  const auto first = hold("ann", {"s1-r1-1"});
  ASSERT_TRUE(first.hold);
  ASSERT_TRUE(hold("bob", {"s1-r0-1"}).hold);

  EXPECT_FALSE(hold("ann", {"s1-r0-1", "s1-r0-2"}).hold);
  EXPECT_TRUE(find(first.hold->id));
  EXPECT_EQ(status("s1-r1-1"), SeatStatus::held);
  EXPECT_EQ(status("s1-r0-2"), SeatStatus::available);
  expect_consistent();
}

TEST_P(InventoryStoreTest, ASecondUserCannotHoldHeldSeats) {
  const auto anns = hold("ann", {"s0-r0-1", "s0-r0-2"});
  ASSERT_TRUE(anns.hold);

  const auto bobs = hold("bob", {"s0-r0-2"});
  EXPECT_FALSE(bobs.hold);
  EXPECT_EQ(ids(bobs.unavailable), (Ids{"s0-r0-2"}));
  EXPECT_TRUE(find(anns.hold->id));
  EXPECT_EQ(counts(), (Tally{0, 2, 40}));
}

TEST_P(InventoryStoreTest, ANewHoldOfTheSameUserReplacesThePreviousOneAndMayReuseItsSeats) {
  const auto first = hold("ann", {"s1-r0-1", "s1-r0-2"});
  ASSERT_TRUE(first.hold);

  const auto second = hold("ann", {"s1-r0-2", "s1-r0-3"});
  ASSERT_TRUE(second.hold);
  EXPECT_NE(second.hold->id, first.hold->id);
  EXPECT_FALSE(find(first.hold->id));
  EXPECT_TRUE(find(second.hold->id));
  EXPECT_EQ(with_status(SeatStatus::held), (Ids{"s1-r0-2", "s1-r0-3"}));
  EXPECT_FALSE(release(first.hold->id, "ann"));
  EXPECT_EQ(counts(), (Tally{0, 2, 40}));
  expect_consistent();
}

TEST_P(InventoryStoreTest, OneLiveHoldPerUserIsCountedPerEvent) {
  const auto other_event = new_event();
  const auto here = hold("ann", {"s1-r0-1"});
  const auto there = hold_in(other_event, "ann", {"s1-r0-1"});
  ASSERT_TRUE(here.hold);
  ASSERT_TRUE(there.hold);
  EXPECT_TRUE(find(here.hold->id));
  EXPECT_TRUE(find(there.hold->id));
  EXPECT_EQ(counts(), (Tally{0, 1, 41}));
  EXPECT_EQ(counts_of(other_event), (Tally{0, 1, 41}));
}

// --- release ----------------------------------------------------------------------------

TEST_P(InventoryStoreTest, ReleaseFreesTheSeatsAtOnce) {
  const auto outcome = hold("ann", {"s0-r1-3", "s0-r1-4"});
  ASSERT_TRUE(outcome.hold);

  EXPECT_TRUE(release(outcome.hold->id, "ann"));
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_EQ(counts(), (Tally{0, 0, 42}));
  EXPECT_TRUE(hold("bob", {"s0-r1-3", "s0-r1-4"}).hold);
  EXPECT_FALSE(release(outcome.hold->id, "ann"));
  expect_consistent();
}

TEST_P(InventoryStoreTest, OnlyTheOwnerCanRelease) {
  const auto outcome = hold("ann", {"s0-r1-3"});
  ASSERT_TRUE(outcome.hold);

  EXPECT_FALSE(release(outcome.hold->id, "bob"));
  EXPECT_TRUE(find(outcome.hold->id));
  EXPECT_EQ(status("s0-r1-3"), SeatStatus::held);
  EXPECT_FALSE(release("no-such-hold", "ann"));
}

// --- expiry -----------------------------------------------------------------------------

TEST_P(InventoryStoreTest, ExpiryFreesTheSeatsFromTheExpiryInstantOn) {
  const auto outcome = hold("ann", {"s1-r2-5"}, 60s);
  ASSERT_TRUE(outcome.hold);

  clock_.set(outcome.hold->expires_at - 1s);
  expire_holds();
  EXPECT_TRUE(find(outcome.hold->id));
  EXPECT_EQ(status("s1-r2-5"), SeatStatus::held);

  clock_.set(outcome.hold->expires_at);
  expire_holds();
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_EQ(status("s1-r2-5"), SeatStatus::available);
  EXPECT_FALSE(release(outcome.hold->id, "ann"));
  expect_consistent();
}

TEST_P(InventoryStoreTest, ExpiryHappensLazilyOnTheNextCallWithoutASweep) {
  const auto outcome = hold("ann", {"s1-r2-5", "s1-r2-6"}, 60s);
  ASSERT_TRUE(outcome.hold);
  clock_.advance(61s);

  EXPECT_EQ(counts(), (Tally{0, 0, 42}));
  EXPECT_EQ(status("s1-r2-5"), SeatStatus::available);
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_TRUE(hold("bob", {"s1-r2-5", "s1-r2-6"}).hold);
}

TEST_P(InventoryStoreTest, AnotherUserMayHoldExpiredSeatsBeforeAnyRead) {
  ASSERT_TRUE(hold("ann", {"s1-r2-5"}, 60s).hold);
  clock_.advance(60s);

  const auto bobs = hold("bob", {"s1-r2-5"});
  ASSERT_TRUE(bobs.hold);
  EXPECT_EQ(counts(), (Tally{0, 1, 41}));
  expect_consistent();
}

// --- best available ---------------------------------------------------------------------

TEST_P(InventoryStoreTest, BestAvailableTakesTheCentreOfTheNearestRow) {
  const auto outcome = best("ann", "standard", 3);
  ASSERT_TRUE(outcome.hold);
  EXPECT_EQ(sorted(ids(outcome.hold->seats)), (Ids{"s1-r0-4", "s1-r0-5", "s1-r0-6"}));
  EXPECT_EQ(with_status(SeatStatus::held), (Ids{"s1-r0-4", "s1-r0-5", "s1-r0-6"}));
  EXPECT_TRUE(find(outcome.hold->id));
}

TEST_P(InventoryStoreTest, BestAvailableMovesBackARowWhenTheNearestHasNoRoomTogether) {
  // Row A keeps only seats 5 and 6 free: two together, not three.
  ASSERT_TRUE(hold("bob", {"s1-r0-1", "s1-r0-2", "s1-r0-3", "s1-r0-4"}).hold);
  ASSERT_TRUE(hold("cat", {"s1-r0-7", "s1-r0-8", "s1-r0-9", "s1-r0-10"}).hold);

  const auto outcome = best("ann", "standard", 3);
  ASSERT_TRUE(outcome.hold);
  EXPECT_EQ(sorted(ids(outcome.hold->seats)), (Ids{"s1-r1-4", "s1-r1-5", "s1-r1-6"}));

  const auto pair = best("dan", "standard", 2);
  ASSERT_TRUE(pair.hold);
  EXPECT_EQ(sorted(ids(pair.hold->seats)), (Ids{"s1-r0-5", "s1-r0-6"}));
  expect_consistent();
}

TEST_P(InventoryStoreTest, BestAvailableHonoursTheCategory) {
  const auto premium = best("ann", "premium", 12);
  ASSERT_TRUE(premium.hold);
  for (const auto index : premium.hold->seats) {
    EXPECT_EQ(map_.seat(index).category, "premium") << map_.seat(index).id;
  }
  EXPECT_EQ(counts(), (Tally{0, 12, 30}));

  // Thirty standard seats are free, none of them premium.
  const auto more = best("bob", "premium", 1);
  EXPECT_FALSE(more.hold);
  EXPECT_TRUE(more.unavailable.empty());
}

TEST_P(InventoryStoreTest, BestAvailableHoldsNothingWhenTooFewSeatsAreFree) {
  ASSERT_TRUE(hold("bob", {"s0-r0-1", "s0-r0-2", "s0-r0-3", "s0-r0-4", "s0-r0-5", "s0-r0-6",
                           "s0-r1-1", "s0-r1-2", "s0-r1-3"})
                  .hold);

  const auto outcome = best("ann", "premium", 4);
  EXPECT_FALSE(outcome.hold);
  EXPECT_TRUE(outcome.unavailable.empty());
  EXPECT_EQ(counts(), (Tally{0, 9, 33}));

  // The three left are still there for a smaller party.
  const auto three = best("ann", "premium", 3);
  ASSERT_TRUE(three.hold);
  EXPECT_EQ(sorted(ids(three.hold->seats)), (Ids{"s0-r1-4", "s0-r1-5", "s0-r1-6"}));
  expect_consistent();
}

