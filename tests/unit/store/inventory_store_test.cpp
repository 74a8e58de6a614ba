// The contract of store::InventoryStore, written once and run on every backend listed in
// inventory_backends(): holds, releases, expiry, best available, checkout locks, the sold-seat
// mirror and its rebuild, and the races that must never sell or hold a seat twice. Time only
// moves when a test moves the TestClock, so expiry is checked to the instant.
#include "store/inventory_store.hpp"

#include "common/run_sync.hpp"
#include "domain/seat_map.hpp"
#include "domain/venue_layout.hpp"
#include "store/cached_counts.hpp"
#include "store/hold_id.hpp"
#include "store/memory/memory_inventory_store.hpp"
#include "store/redis/redis_client.hpp"
#include "store/redis/redis_inventory_store.hpp"

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
#include <iterator>
#include <latch>
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

// Found by argument-dependent lookup, so it lives beside SeatStatus, not in the unnamed
// namespace; static keeps it out of other test files' way.
[[maybe_unused]] static void PrintTo(SeatStatus status, std::ostream* out) {
  switch (status) {
    case SeatStatus::available:
      *out << "available";
      return;
    case SeatStatus::held:
      *out << "held";
      return;
    case SeatStatus::sold:
      *out << "sold";
      return;
  }
  *out << "SeatStatus(" << static_cast<int>(status) << ")";
}

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

// Shared rather than unique so that a factory can keep what its store needs alive beside it
// (a Redis client, say) with the aliasing constructor.
using InventoryFactory =
    std::function<std::shared_ptr<InventoryStore>(const Clock& clock, SoldSeatsLoader loader)>;

struct InventoryBackend {
  std::string name;
  InventoryFactory make;
};

void PrintTo(const InventoryBackend& backend, std::ostream* out) {
  *out << backend.name;
}

// One line per backend. A factory returns nullptr when its backend cannot run here (no server
// configured), and the tests skip. Backends that keep state outside the process are isolated
// by the random event ids each test uses.
// Redis: BOXOFFICE_TEST_REDIS_URL (scripts/test sets it). The client lives beside the store.
struct RedisInventory {
  RedisInventory(const std::string& url, const Clock& clock, SoldSeatsLoader loader)
      : client(redis::RedisOptions{.url = url}), store(client, clock, std::move(loader)) {}
  redis::RedisClient client;
  redis::RedisInventoryStore store;
};

// Null when no Redis is configured.
std::shared_ptr<InventoryStore> redis_inventory(const Clock& clock, SoldSeatsLoader loader) {
  const char* url = std::getenv("BOXOFFICE_TEST_REDIS_URL");  // NOLINT(concurrency-mt-unsafe)
  if (url == nullptr) {
    return nullptr;
  }
  auto both = std::make_shared<RedisInventory>(url, clock, std::move(loader));
  return {both, &both->store};
}

std::vector<InventoryBackend> inventory_backends() {
  return {
      {"Memory",
       [](const Clock& clock, SoldSeatsLoader loader) -> std::shared_ptr<InventoryStore> {
         return std::make_shared<MemoryInventoryStore>(clock, std::move(loader));
       }},
      {"Redis", redis_inventory},
      // The same contract through the per-instance counts cache (on the test's clock, which
      // stands still unless a test moves it): every change made through it must show in
      // the next read, as it does without it.
      {"MemoryWithCountsKept",
       [](const Clock& clock, SoldSeatsLoader loader) -> std::shared_ptr<InventoryStore> {
         return std::make_shared<CachedCounts>(
             std::make_shared<MemoryInventoryStore>(clock, std::move(loader)), clock,
             std::chrono::milliseconds{250});
       }},
      {"RedisWithCountsKept",
       [](const Clock& clock, SoldSeatsLoader loader) -> std::shared_ptr<InventoryStore> {
         auto redis = redis_inventory(clock, std::move(loader));
         if (!redis) {
           return nullptr;
         }
         return std::make_shared<CachedCounts>(std::move(redis), clock,
                                               std::chrono::milliseconds{250});
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
    SoldSeatsLoader loader = [this](const std::string& event_id) {
      const auto it = sold_by_event_.find(event_id);
      auto sold = it == sold_by_event_.end() ? Ids{} : it->second;
      return ready(std::move(sold));
    };
    store_ = GetParam().make(clock_, std::move(loader));
    if (!store_) {
      GTEST_SKIP() << GetParam().name << " is not available here";
    }
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

  Ids category_ids(const std::string& category) const {
    Ids result;
    for (const auto& place : map_.seats()) {
      if (place.category == category) {
        result.emplace_back(place.id);
      }
    }
    return result;
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
                       .hold_id = new_hold_id(event),
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

  void complete_checkout(Hold used) { run_sync(store_->complete_checkout(map_, std::move(used))); }

  void mark_sold(const Ids& which) {
    auto indexes = seats(which);
    run_sync(store_->mark_sold(map_, event_, std::move(indexes)));
  }

  void mark_available(const Ids& which) {
    auto indexes = seats(which);
    run_sync(store_->mark_available(map_, event_, std::move(indexes)));
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

  // Every view of the event agrees: the per-seat statuses add up to the counts, the counts
  // to the capacity, and counts() to availability().
  void expect_consistent(const std::string& event) {
    const auto seen = availability_of(event);
    ASSERT_EQ(seen.seats.size(), map_.size());
    SeatCounts recount;
    for (const auto seen_status : seen.seats) {
      ++(seen_status == SeatStatus::sold   ? recount.sold
         : seen_status == SeatStatus::held ? recount.held
                                           : recount.available);
    }
    EXPECT_EQ(tally(seen.counts), tally(recount));
    EXPECT_EQ(seen.counts.sold + seen.counts.held + seen.counts.available, map_.capacity());
    EXPECT_EQ(counts_of(event), tally(seen.counts));
  }

  void expect_consistent() { expect_consistent(event_); }

  // Ann takes the best four premium seats and Bob every other premium seat; ann's hold.
  std::optional<Hold> ann_holds_four_premium_and_bob_the_rest() {
    auto first = best("ann", "premium", 4);
    if (!first.hold) {
      return std::nullopt;
    }
    const auto anns = ids(first.hold->seats);
    Ids others;
    for (const auto& id : category_ids("premium")) {
      if (std::find(anns.begin(), anns.end(), id) == anns.end()) {
        others.push_back(id);
      }
    }
    if (!hold("bob", others).hold) {
      return std::nullopt;
    }
    return first.hold;
  }

  TestClock clock_{TimePoint{std::chrono::seconds{1'750'000'000}}};
  std::unordered_map<std::string, Ids> sold_by_event_;
  SeatMap map_ = small_venue();
  std::string event_ = new_event();
  std::shared_ptr<InventoryStore> store_;
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
  EXPECT_FALSE(release(new_hold_id(event_), "ann"));
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

// Another buyer finding the category sold out must not make the store forget that ann's
// own seats are free for her.
TEST_P(InventoryStoreTest, ASoldOutAnswerToOthersStillLetsAUserRetakeTheirOwnSeats) {
  const auto first = ann_holds_four_premium_and_bob_the_rest();
  ASSERT_TRUE(first);
  const auto anns = sorted(ids(first->seats));
  // Later than the hold, so that a store keeping what it saw may keep cat's look.
  clock_.advance(std::chrono::milliseconds{1});
  EXPECT_FALSE(best("cat", "premium", 1).hold);
  EXPECT_FALSE(best("cat", "premium", 4).hold);

  const auto again = best("ann", "premium", 4);
  ASSERT_TRUE(again.hold);
  EXPECT_EQ(sorted(ids(again.hold->seats)), anns);
  EXPECT_FALSE(best("cat", "premium", 1).hold);
  expect_consistent();
}

TEST_P(InventoryStoreTest, BestAvailableMayRetakeTheUsersOwnPreviousSeats) {
  const auto first = ann_holds_four_premium_and_bob_the_rest();
  ASSERT_TRUE(first);
  const auto anns = sorted(ids(first->seats));

  // Only ann's own four are not held by someone else.
  const auto again = best("ann", "premium", 4);
  ASSERT_TRUE(again.hold);
  EXPECT_EQ(sorted(ids(again.hold->seats)), anns);
  EXPECT_FALSE(find(first->id));
  EXPECT_EQ(counts(), (Tally{0, 12, 30}));

  // A party larger than what she has fails and leaves her hold alone.
  EXPECT_FALSE(best("ann", "premium", 5).hold);
  EXPECT_TRUE(find(again.hold->id));
  EXPECT_EQ(counts(), (Tally{0, 12, 30}));
  expect_consistent();
}

// --- checkout ---------------------------------------------------------------------------

TEST_P(InventoryStoreTest, CheckoutLocksTheHoldAgainstReleaseAndExpiryUntilTheGraceEnds) {
  const auto outcome = hold("ann", {"s1-r0-1", "s1-r0-2"}, 60s);
  ASSERT_TRUE(outcome.hold);
  clock_.advance(50s);
  const auto checkout = begin_checkout(outcome.hold->id, "ann", 120s);
  ASSERT_EQ(checkout.result, CheckoutStart::started);
  ASSERT_TRUE(checkout.hold);
  EXPECT_TRUE(checkout.hold->checking_out);
  EXPECT_EQ(checkout.hold->expires_at, outcome.hold->expires_at);
  EXPECT_EQ(sorted(ids(checkout.hold->seats)), (Ids{"s1-r0-1", "s1-r0-2"}));

  EXPECT_FALSE(release(outcome.hold->id, "ann"));
  clock_.advance(60s);  // past the hold's expiry, inside the grace
  expire_holds();
  const auto locked = find(outcome.hold->id);
  ASSERT_TRUE(locked);
  EXPECT_TRUE(locked->checking_out);
  EXPECT_EQ(counts(), (Tally{0, 2, 40}));
  EXPECT_FALSE(hold("bob", {"s1-r0-1"}).hold);

  clock_.advance(61s);  // the grace is over: the process that locked it is presumed dead
  expire_holds();
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_EQ(counts(), (Tally{0, 0, 42}));
  EXPECT_TRUE(hold("bob", {"s1-r0-1"}).hold);
  expect_consistent();
}

TEST_P(InventoryStoreTest, ALapsedCheckoutLockIsNoticedWithoutASweep) {
  const auto outcome = hold("ann", {"s1-r0-1"}, 60s);
  ASSERT_TRUE(outcome.hold);
  ASSERT_EQ(begin_checkout(outcome.hold->id, "ann", 30s).result, CheckoutStart::started);
  clock_.advance(61s);

  EXPECT_EQ(counts(), (Tally{0, 0, 42}));
  EXPECT_FALSE(find(outcome.hold->id));
}

TEST_P(InventoryStoreTest, ALockedHoldIsNotReplacedByTheUsersNextHold) {
  const auto first = hold("ann", {"s1-r0-1"});
  ASSERT_TRUE(first.hold);
  ASSERT_EQ(begin_checkout(first.hold->id, "ann").result, CheckoutStart::started);

  // Her locked seat is not hers to take again while the payment runs.
  const auto retake = hold("ann", {"s1-r0-1"});
  EXPECT_FALSE(retake.hold);
  EXPECT_EQ(ids(retake.unavailable), (Ids{"s1-r0-1"}));

  const auto second = hold("ann", {"s1-r1-1"});
  ASSERT_TRUE(second.hold);
  const auto locked = find(first.hold->id);
  ASSERT_TRUE(locked);
  EXPECT_TRUE(locked->checking_out);
  EXPECT_EQ(with_status(SeatStatus::held), (Ids{"s1-r0-1", "s1-r1-1"}));
  expect_consistent();
}

TEST_P(InventoryStoreTest, CheckoutIsRefusedForOtherUsersUnknownExpiredAndLockedHolds) {
  const auto outcome = hold("ann", {"s1-r0-1"}, 60s);
  ASSERT_TRUE(outcome.hold);

  const auto by_bob = begin_checkout(outcome.hold->id, "bob");
  EXPECT_EQ(by_bob.result, CheckoutStart::not_found);
  EXPECT_FALSE(by_bob.hold);
  EXPECT_EQ(begin_checkout(new_hold_id(event_), "ann").result, CheckoutStart::not_found);
  EXPECT_EQ(begin_checkout("no-such-hold", "ann").result, CheckoutStart::not_found);
  const auto unlocked = find(outcome.hold->id);
  ASSERT_TRUE(unlocked);
  EXPECT_FALSE(unlocked->checking_out);

  ASSERT_EQ(begin_checkout(outcome.hold->id, "ann").result, CheckoutStart::started);
  const auto twice = begin_checkout(outcome.hold->id, "ann");
  EXPECT_NE(twice.result, CheckoutStart::started);
  EXPECT_FALSE(twice.hold);

  const auto short_one = hold("cat", {"s1-r0-2"}, 60s);
  ASSERT_TRUE(short_one.hold);
  clock_.advance(60s);
  const auto late = begin_checkout(short_one.hold->id, "cat");
  EXPECT_NE(late.result, CheckoutStart::started);
  EXPECT_FALSE(late.hold);
  EXPECT_EQ(status("s1-r0-2"), SeatStatus::available);
}

TEST_P(InventoryStoreTest, AbortedCheckoutMakesTheHoldLiveAgainWithItsOriginalExpiry) {
  const auto outcome = hold("ann", {"s1-r0-1", "s1-r0-2"}, 60s);
  ASSERT_TRUE(outcome.hold);
  clock_.advance(10s);
  ASSERT_EQ(begin_checkout(outcome.hold->id, "ann", 120s).result, CheckoutStart::started);

  abort_checkout(outcome.hold->id);
  const auto live = find(outcome.hold->id);
  ASSERT_TRUE(live);
  EXPECT_FALSE(live->checking_out);
  EXPECT_EQ(live->expires_at, outcome.hold->expires_at);

  // The grace no longer protects it: the original expiry applies.
  clock_.set(outcome.hold->expires_at);
  expire_holds();
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_EQ(counts(), (Tally{0, 0, 42}));
  expect_consistent();
}

TEST_P(InventoryStoreTest, AbortedCheckoutCanBeReleasedByTheOwner) {
  const auto outcome = hold("ann", {"s1-r0-1"});
  ASSERT_TRUE(outcome.hold);
  ASSERT_EQ(begin_checkout(outcome.hold->id, "ann").result, CheckoutStart::started);
  abort_checkout(outcome.hold->id);

  EXPECT_TRUE(release(outcome.hold->id, "ann"));
  EXPECT_EQ(counts(), (Tally{0, 0, 42}));
}

TEST_P(InventoryStoreTest, AbortingAfterTheExpiryPassedExpiresTheHoldAtOnce) {
  const auto outcome = hold("ann", {"s1-r0-1", "s1-r0-2"}, 60s);
  ASSERT_TRUE(outcome.hold);
  ASSERT_EQ(begin_checkout(outcome.hold->id, "ann", 120s).result, CheckoutStart::started);
  clock_.advance(90s);
  expire_holds();
  ASSERT_TRUE(find(outcome.hold->id));

  abort_checkout(outcome.hold->id);
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_EQ(counts(), (Tally{0, 0, 42}));
  EXPECT_TRUE(hold("bob", {"s1-r0-1", "s1-r0-2"}).hold);
  expect_consistent();
}

TEST_P(InventoryStoreTest, CompletedCheckoutSellsTheSeatsAndUsesTheHoldUp) {
  const auto outcome = hold("ann", {"s0-r0-3", "s0-r0-4"}, 60s);
  ASSERT_TRUE(outcome.hold);
  const auto checkout = begin_checkout(outcome.hold->id, "ann");
  ASSERT_EQ(checkout.result, CheckoutStart::started);

  complete_checkout(*checkout.hold);
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_EQ(with_status(SeatStatus::sold), (Ids{"s0-r0-3", "s0-r0-4"}));
  EXPECT_EQ(counts(), (Tally{2, 0, 40}));
  EXPECT_FALSE(release(outcome.hold->id, "ann"));
  EXPECT_NE(begin_checkout(outcome.hold->id, "ann").result, CheckoutStart::started);

  const auto bobs = hold("bob", {"s0-r0-2", "s0-r0-3", "s0-r0-4"});
  EXPECT_FALSE(bobs.hold);
  EXPECT_EQ(sorted(ids(bobs.unavailable)), (Ids{"s0-r0-3", "s0-r0-4"}));

  // Sold is final for the mirror: neither time nor sweeps bring the seats back.
  clock_.advance(24h);
  expire_holds();
  EXPECT_EQ(counts(), (Tally{2, 0, 40}));
  expect_consistent();
}

TEST_P(InventoryStoreTest, CompletingALostHoldStillSellsItsSeats) {
  const auto outcome = hold("ann", {"s0-r0-3", "s0-r0-4"}, 60s);
  ASSERT_TRUE(outcome.hold);
  const auto checkout = begin_checkout(outcome.hold->id, "ann", 30s);
  ASSERT_EQ(checkout.result, CheckoutStart::started);
  // The payment outlived both the hold and the grace; someone else took one of the seats.
  clock_.advance(61s);
  expire_holds();
  ASSERT_FALSE(find(outcome.hold->id));
  const auto bobs = hold("bob", {"s0-r0-4", "s0-r0-5"});
  ASSERT_TRUE(bobs.hold);

  // The database already sold them to ann: the mirror follows it.
  complete_checkout(*checkout.hold);
  EXPECT_EQ(status("s0-r0-3"), SeatStatus::sold);
  EXPECT_EQ(status("s0-r0-4"), SeatStatus::sold);
  expect_consistent();

  EXPECT_TRUE(release(bobs.hold->id, "bob"));
  EXPECT_EQ(with_status(SeatStatus::sold), (Ids{"s0-r0-3", "s0-r0-4"}));
  EXPECT_EQ(counts(), (Tally{2, 0, 40}));
  expect_consistent();
}

// --- the sold-seat mirror -----------------------------------------------------------------

TEST_P(InventoryStoreTest, MarkSoldAndMarkAvailableMirrorTheDatabase) {
  mark_sold({"s1-r2-1", "s1-r2-2"});
  EXPECT_EQ(with_status(SeatStatus::sold), (Ids{"s1-r2-1", "s1-r2-2"}));
  EXPECT_EQ(counts(), (Tally{2, 0, 40}));
  const auto refused = hold("ann", {"s1-r2-1"});
  EXPECT_FALSE(refused.hold);
  EXPECT_EQ(ids(refused.unavailable), (Ids{"s1-r2-1"}));

  mark_available({"s1-r2-1"});
  EXPECT_EQ(counts(), (Tally{1, 0, 41}));
  EXPECT_TRUE(hold("ann", {"s1-r2-1"}).hold);
  expect_consistent();
}

TEST_P(InventoryStoreTest, ASeatSoldUnderAHoldStaysSoldWhenTheHoldEnds) {
  const auto bobs = hold("bob", {"s1-r0-1", "s1-r0-2"});
  ASSERT_TRUE(bobs.hold);

  mark_sold({"s1-r0-1"});
  EXPECT_EQ(counts(), (Tally{1, 1, 40}));
  expect_consistent();

  EXPECT_TRUE(release(bobs.hold->id, "bob"));
  EXPECT_EQ(status("s1-r0-1"), SeatStatus::sold);
  EXPECT_EQ(status("s1-r0-2"), SeatStatus::available);
  EXPECT_EQ(counts(), (Tally{1, 0, 41}));
  expect_consistent();
}

TEST_P(InventoryStoreTest, MarkAvailableNeverFreesAHeldSeat) {
  const auto anns = hold("ann", {"s1-r0-1"});
  ASSERT_TRUE(anns.hold);

  mark_available({"s1-r0-1"});
  EXPECT_EQ(status("s1-r0-1"), SeatStatus::held);
  EXPECT_TRUE(find(anns.hold->id));
  EXPECT_FALSE(hold("bob", {"s1-r0-1"}).hold);
  EXPECT_EQ(counts(), (Tally{0, 1, 41}));
}

TEST_P(InventoryStoreTest, SeatsSoldInTheDatabaseAreSoldFromTheStartAndNeverHeld) {
  const Ids sold{"s0-r0-1", "s1-r0-5", "s1-r0-6"};
  sold_by_event_[event_] = sold;

  EXPECT_EQ(counts(), (Tally{3, 0, 39}));
  EXPECT_EQ(with_status(SeatStatus::sold), sold);
  expect_consistent();

  const auto chosen = hold("ann", {"s1-r0-4", "s1-r0-5", "s1-r0-6", "s1-r0-7"});
  EXPECT_FALSE(chosen.hold);
  EXPECT_EQ(sorted(ids(chosen.unavailable)), (Ids{"s1-r0-5", "s1-r0-6"}));

  // Every free standard seat but one, then more than is left.
  const auto most = best("bob", "standard", 27);
  ASSERT_TRUE(most.hold);
  for (const auto& id : ids(most.hold->seats)) {
    EXPECT_TRUE(std::find(sold.begin(), sold.end(), id) == sold.end()) << id;
  }
  EXPECT_FALSE(best("cat", "standard", 2).hold);
  const auto last = best("cat", "standard", 1);
  ASSERT_TRUE(last.hold);
  EXPECT_EQ(counts(), (Tally{3, 28, 11}));

  clock_.advance(24h);
  expire_holds();
  EXPECT_EQ(counts(), (Tally{3, 0, 39}));
  expect_consistent();
}

TEST_P(InventoryStoreTest, EachEventIsRebuiltFromItsOwnSales) {
  const auto other_event = new_event();
  sold_by_event_[event_] = {"s1-r0-1"};
  sold_by_event_[other_event] = {"s1-r0-2", "s1-r0-3"};

  EXPECT_EQ(counts(), (Tally{1, 0, 41}));
  EXPECT_EQ(counts_of(other_event), (Tally{2, 0, 40}));
  EXPECT_EQ(counts_of(new_event()), (Tally{0, 0, 42}));
  EXPECT_TRUE(hold_in(other_event, "ann", {"s1-r0-1"}).hold);
  EXPECT_FALSE(hold("ann", {"s1-r0-1"}).hold);
}

// --- the counts stay whole under any mix of operations -----------------------------------

TEST_P(InventoryStoreTest, CountsAddUpToTheCapacityAfterEveryOperation) {
  sold_by_event_[event_] = {"s1-r2-10", "s0-r1-6"};
  std::mt19937 random{20'240'601};
  auto pick = [&random](std::size_t below) {
    return std::uniform_int_distribution<std::size_t>{0, below - 1}(random);
  };
  const Ids users{"ann", "bob", "cat", "dan", "eve"};
  std::vector<std::pair<std::string, std::string>> made;  // (hold id, user)
  // Only holds whose checkout started may be aborted or completed, as in the order flow.
  std::vector<Hold> checking_out;

  constexpr int operations = 400;
  for (int step = 0; step < operations; ++step) {
    const auto& user = users[pick(users.size())];
    switch (pick(8)) {
      case 0: {
        Ids wanted;
        for (std::size_t n = 1 + pick(4); n > 0; --n) {
          wanted.emplace_back(map_.seat(static_cast<SeatIndex>(pick(map_.size()))).id);
        }
        std::sort(wanted.begin(), wanted.end());
        wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
        if (auto outcome = hold(user, wanted, std::chrono::seconds{30 + pick(120)}); outcome.hold) {
          made.emplace_back(outcome.hold->id, user);
        }
        break;
      }
      case 1: {
        const auto* category = pick(2) == 0 ? "premium" : "standard";
        if (auto outcome = best(user, category, static_cast<std::int64_t>(1 + pick(5)));
            outcome.hold) {
          made.emplace_back(outcome.hold->id, user);
        }
        break;
      }
      case 2:
        if (!made.empty()) {
          const auto& [id, owner] = made[pick(made.size())];
          release(id, owner);
        }
        break;
      case 3:
        if (!made.empty()) {
          const auto& [id, owner] = made[pick(made.size())];
          if (auto checkout = begin_checkout(id, owner, std::chrono::seconds{10 + pick(60)});
              checkout.hold) {
            checking_out.push_back(std::move(*checkout.hold));
          }
        }
        break;
      case 4:
        if (!checking_out.empty()) {
          const auto which =
              checking_out.begin() + static_cast<std::ptrdiff_t>(pick(checking_out.size()));
          if (pick(2) == 0) {
            abort_checkout(which->id);
          } else {
            complete_checkout(*which);
          }
          checking_out.erase(which);
        }
        break;
      case 5: {
        const Ids one{std::string{map_.seat(static_cast<SeatIndex>(pick(map_.size()))).id}};
        if (pick(2) == 0) {
          mark_sold(one);
        } else {
          mark_available(one);
        }
        break;
      }
      case 6:
        clock_.advance(std::chrono::seconds{pick(40)});
        break;
      default:
        expire_holds();
        break;
    }
    expect_consistent();
    if (HasFailure()) {
      FAIL() << "after step " << step;
    }
  }
}

// --- races --------------------------------------------------------------------------------

constexpr int racers = 64;
constexpr int race_threads = 4;

// The first racer on each thread waits for the others, so that they all ask at the same
// instant; threads wake up too far apart for that on their own. Bounded, in case fewer
// threads run than expected.
void wait_at_start_line(std::atomic<int>& start_line) {
  if (start_line.fetch_add(1) >= race_threads) {
    return;
  }
  const auto give_up = std::chrono::steady_clock::now() + 100ms;
  while (start_line.load() < race_threads && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::yield();
  }
}

struct RaceResults {
  std::mutex mutex;
  std::vector<Hold> holds;
  std::vector<HoldOutcome> refusals;
  std::vector<std::string> errors;
};

void record_error(RaceResults& results, std::string what) {
  std::scoped_lock lock{results.mutex};
  results.errors.push_back(std::move(what));
}

boost::asio::awaitable<void> try_to_hold(InventoryStore& store, const SeatMap& map,
                                         HoldRequest request, std::vector<SeatIndex> seats,
                                         RaceResults& results, std::atomic<int>& start_line) {
  wait_at_start_line(start_line);
  auto outcome = co_await store.hold_seats(map, std::move(request), std::move(seats));
  std::scoped_lock lock{results.mutex};
  if (outcome.hold) {
    results.holds.push_back(std::move(*outcome.hold));
  } else {
    results.refusals.push_back(std::move(outcome));
  }
}

// One party after another, each a new user so that no hold replaces another, with party
// sizes 1 to 4; when fewer seats are left than a party wants, singles take the rest.
boost::asio::awaitable<void> take_until_sold_out(InventoryStore& store, const SeatMap& map,
                                                 std::string event, int worker,
                                                 TimePoint expires_at, RaceResults& results,
                                                 std::atomic<int>& start_line) {
  wait_at_start_line(start_line);
  const auto executor = co_await boost::asio::this_coro::executor;
  const auto category = map.find_category("standard").value();
  std::int64_t quantity = 1 + worker % 4;
  // Each round holds at least one seat or shrinks the party to one, which then holds one
  // or ends the loop.
  const auto rounds_max = 2 * map.capacity() + 2;
  for (std::int64_t round = 0; round < rounds_max; ++round) {
    const auto party = "w" + std::to_string(worker) + "-p" + std::to_string(round);
    HoldRequest request{.event_id = event,
                        .user_id = party,
                        .hold_id = new_hold_id(event),
                        .expires_at = expires_at};
    auto outcome = co_await store.hold_best_available(map, std::move(request), category, quantity);
    if (outcome.hold) {
      if (std::ssize(outcome.hold->seats) != quantity) {
        record_error(results, party + " got a different number of seats than asked for");
      }
      {
        std::scoped_lock lock{results.mutex};
        results.holds.push_back(std::move(*outcome.hold));
      }
      quantity = 1 + (worker + round + 1) % 4;
    } else if (!outcome.unavailable.empty()) {
      // Best available only offers free seats: a conflict means two requests overlapped.
      record_error(results, party + " was offered seats that were not free");
    } else if (quantity > 1) {
      quantity = 1;
    } else {
      co_return;
    }
    // Let the other workers in between every two holds of this one.
    co_await boost::asio::post(executor, boost::asio::use_awaitable);
  }
  record_error(results, "worker " + std::to_string(worker) + " never saw the event sell out");
}

// Runs coroutines on several threads that all take part from the first moment: a gate at
// the head of the queue holds each thread until every one is running, since otherwise the
// first thread to start drains the queue alone before the others wake up.
class RaceTrack {
 public:
  explicit RaceTrack(int threads) : io_{threads}, threads_(threads), gate_{threads} {
    for (int i = 0; i < threads_; ++i) {
      boost::asio::post(io_, [this] { gate_.arrive_and_wait(); });
    }
  }

  [[nodiscard]] boost::asio::io_context& io() { return io_; }

  void run() {
    std::vector<std::thread> runners;
    runners.reserve(static_cast<std::size_t>(threads_));
    for (int i = 0; i < threads_; ++i) {
      runners.emplace_back([this] { io_.run(); });
    }
    for (auto& runner : runners) {
      runner.join();
    }
  }

 private:
  boost::asio::io_context io_;
  int threads_;
  std::latch gate_;
};

TEST_P(InventoryStoreTest, OfManyUsersRacingForTheSameSeatsExactlyOneHoldsThem) {
  const Ids contested{"s1-r1-4", "s1-r1-5", "s1-r1-6", "s1-r1-7"};
  // Two racers must meet within a few instructions to expose a lost update, so the race is
  // run again and again, each time on a fresh event.
  constexpr int rounds = 200;
  for (int round = 0; round < rounds && !HasFailure(); ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    event_ = new_event();
    ASSERT_EQ(counts(), (Tally{0, 0, 42}));  // the mirror is loaded before the start
    RaceResults results;
    std::atomic<int> start_line{0};
    RaceTrack track{race_threads};
    auto on_done = [&results](const std::exception_ptr& error) {
      if (error) {
        record_error(results, "a hold attempt threw");
      }
    };
    for (int i = 0; i < racers; ++i) {
      auto made = request("racer-" + std::to_string(i), event_);
      auto wanted = seats(contested);
      boost::asio::co_spawn(
          track.io(),
          try_to_hold(*store_, map_, std::move(made), std::move(wanted), results, start_line),
          on_done);
    }
    track.run();

    EXPECT_TRUE(results.errors.empty()) << results.errors.front();
    ASSERT_EQ(results.holds.size(), 1U);
    EXPECT_EQ(results.refusals.size(), static_cast<std::size_t>(racers - 1));
    EXPECT_EQ(sorted(ids(results.holds.front().seats)), contested);
    for (const auto& refusal : results.refusals) {
      EXPECT_EQ(sorted(ids(refusal.unavailable)), contested);
    }
    EXPECT_TRUE(find(results.holds.front().id));
    EXPECT_EQ(counts(), (Tally{0, 4, 38}));
    expect_consistent();
  }
}

TEST_P(InventoryStoreTest, ManyUsersTakingBestAvailableSellOutWithoutSharingASeat) {
  map_ = five_hundred_seats();
  // Several sell-outs, each on a fresh event, for more chances of two requests overlapping.
  constexpr int sell_outs = 10;
  for (int round = 0; round < sell_outs && !HasFailure(); ++round) {
    SCOPED_TRACE("sell-out " + std::to_string(round));
    event_ = new_event();
    ASSERT_EQ(counts(), (Tally{0, 0, 500}));  // the mirror is loaded before the start
    RaceResults results;
    std::atomic<int> start_line{0};
    RaceTrack track{race_threads};
    auto on_done = [&results](const std::exception_ptr& error) {
      if (error) {
        record_error(results, "a worker threw");
      }
    };
    const auto expires_at = clock_.now() + 1h;
    for (int worker = 0; worker < racers; ++worker) {
      boost::asio::co_spawn(
          track.io(),
          take_until_sold_out(*store_, map_, event_, worker, expires_at, results, start_line),
          on_done);
    }
    track.run();

    EXPECT_TRUE(results.errors.empty()) << results.errors.front();
    std::set<SeatIndex> taken;
    std::size_t seats_held = 0;
    for (const auto& made : results.holds) {
      EXPECT_GE(made.seats.size(), 1U);
      EXPECT_LE(made.seats.size(), 4U);
      seats_held += made.seats.size();
      taken.insert(made.seats.begin(), made.seats.end());
    }
    EXPECT_EQ(seats_held, taken.size()) << "a seat is in two holds";
    EXPECT_EQ(static_cast<std::int64_t>(seats_held), map_.capacity());
    EXPECT_EQ(counts(), (Tally{0, 500, 0}));
    expect_consistent();
    for (const auto& made : results.holds) {
      const auto found = find(made.id);
      ASSERT_TRUE(found) << made.id;
      EXPECT_EQ(found->seats, made.seats);
    }
  }
}

// A seat sold under a live hold (a lost hold completed), refunded and held again: ending
// the stale hold must not free the new holder's seat, nor let a third user take it.
TEST_P(InventoryStoreTest, StaleHoldNeverActsOnASeatSoldFromUnderIt) {
  const auto anns = hold("ann", {"s1-r0-1"}, 60s);
  ASSERT_TRUE(anns.hold);
  const auto checkout = begin_checkout(anns.hold->id, "ann", 30s);
  ASSERT_EQ(checkout.result, CheckoutStart::started);
  clock_.advance(61s);
  const auto bobs = hold("bob", {"s1-r0-1"});
  ASSERT_TRUE(bobs.hold);
  complete_checkout(*checkout.hold);
  mark_available({"s1-r0-1"});
  const auto cats = hold("cat", {"s1-r0-1"});
  ASSERT_TRUE(cats.hold);
  EXPECT_FALSE(hold("bob", {"s1-r0-1"}).hold) << "bob's stale hold took cat's seat";
  EXPECT_EQ(status("s1-r0-1"), SeatStatus::held);
  const auto dans = hold("dan", {"s1-r0-1"});
  EXPECT_FALSE(dans.hold) << "s1-r0-1 would be in two holds";
  auto cat_now = find(cats.hold->id);
  ASSERT_TRUE(cat_now);
  EXPECT_EQ(ids(cat_now->seats), (Ids{"s1-r0-1"}));
}

// The user's previous hold lost a seat to a sale: best available still finds seats and
// does not offer the sold one.
TEST_P(InventoryStoreTest, BestAvailableIgnoresASoldSeatOfThePreviousHold) {
  const auto bobs = hold("bob", {"s1-r0-5", "s1-r0-6"});
  ASSERT_TRUE(bobs.hold);
  mark_sold({"s1-r0-5"});
  const auto again = best("bob", "standard", 2);
  ASSERT_TRUE(again.hold);
  EXPECT_TRUE(again.unavailable.empty());
  for (const auto& id : ids(again.hold->seats)) {
    EXPECT_NE(id, "s1-r0-5");
  }
}

TEST_P(InventoryStoreTest, OutOfRangeSeatIndexIsUnavailable) {
  auto made = request("ann", event_);
  std::vector<SeatIndex> wanted{static_cast<SeatIndex>(map_.size() + 3)};
  const auto outcome = run_sync(store_->hold_seats(map_, std::move(made), std::move(wanted)));
  EXPECT_FALSE(outcome.hold);
}

INSTANTIATE_TEST_SUITE_P(Backends, InventoryStoreTest, testing::ValuesIn(inventory_backends()),
                         [](const testing::TestParamInfo<InventoryBackend>& param_info) {
                           return param_info.param.name;
                         });

}  // namespace
}  // namespace boxoffice::store
