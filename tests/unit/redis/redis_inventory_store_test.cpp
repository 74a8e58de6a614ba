// The Redis inventory: the in-process store's semantics (all-or-nothing holds, the user's
// previous hold replaced in the same step, expiry to the instant, best available, checkout
// locks, the sold-seat mirror), plus what only a shared store has: two instances seeing
// the same holds, races between coroutines on two threads, expiry backlogs, and a Redis
// that was flushed or restarted never offering a sold seat. Time only moves when a test
// moves the TestClock.
#include "store/redis/redis_inventory_store.hpp"

#include "domain/seat_map.hpp"
#include "domain/venue_layout.hpp"
#include "redis_test_support.hpp"
#include "store/hold_id.hpp"
#include "store/store_errors.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

namespace boxoffice::store::redis {
namespace {

using namespace std::chrono_literals;
using domain::SeatIndex;
using domain::SeatMap;
using testing::PrivateRedisServer;
using testing::run_command;
using testing::TestClock;
using Ids = std::vector<std::string>;
using Tally = std::tuple<std::int64_t, std::int64_t, std::int64_t>;

boost::asio::awaitable<Ids> ready(Ids ids) {
  co_return ids;
}

SeatMap build_map(const domain::VenueLayout& layout) {
  auto map = domain::build_seat_map(layout);
  if (!map) {
    throw std::invalid_argument("test layout refused: " + map.error().message);
  }
  return std::move(map).value();
}

// Two premium rows of 6 (s0-r{0,1}-N), then three standard rows of 10 (s1-r{0,1,2}-N).
SeatMap small_venue() {
  return build_map(domain::VenueLayout{
      .sections = {domain::SectionLayout{"Front", "premium", {{"A", 6}, {"B", 6}}},
                   domain::SectionLayout{"Stalls", "standard", {{"A", 10}, {"B", 10}, {"C", 10}}}},
      .areas = {}});
}

// 20 rows of 25.
SeatMap five_hundred_seats() {
  domain::SectionLayout stalls{"Stalls", "standard", {}};
  for (int row = 0; row < 20; ++row) {
    stalls.rows.push_back({"R" + std::to_string(row + 1), 25});
  }
  return build_map(domain::VenueLayout{.sections = {std::move(stalls)}, .areas = {}});
}

Tally tally(const SeatCounts& counts) {
  return {counts.sold, counts.held, counts.available};
}

Ids sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Deletes an event's keys after a test on the shared server.
void delete_event(RedisClient& client, const std::string& event_id) {
  const RedisScript sweep{
      "for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) end"};
  Ids keys;
  Ids args{"{ev:" + event_id + "}:*"};
  run_sync(client.eval(sweep, std::move(keys), std::move(args)));
}

class RedisInventoryTestBase : public ::testing::Test {
 protected:
  static constexpr auto hold_duration = 600s;

  std::unique_ptr<RedisInventoryStore> make_store(RedisClient& client) {
    SoldSeatsLoader loader = [this](std::string event_id) {
      std::scoped_lock lock{loader_mutex_};
      ++loads_[event_id];
      const auto it = sold_by_event_.find(event_id);
      auto ids = it == sold_by_event_.end() ? Ids{} : it->second;
      return ready(std::move(ids));
    };
    return std::make_unique<RedisInventoryStore>(client, clock_, std::move(loader));
  }

  std::string new_event() { return "ev" + random_hex(6); }

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
                       .hold_id = new_hold_id(event),
                       .expires_at = clock_.now() + lasts};
  }

  HoldOutcome hold_in(InventoryStore& store, const std::string& event, const std::string& user,
                      const Ids& wanted, std::chrono::seconds lasts = hold_duration) {
    auto made = request(user, event, lasts);
    auto indexes = seats(wanted);
    return run_sync(store.hold_seats(map_, std::move(made), std::move(indexes)));
  }

  HoldOutcome hold(const std::string& user, const Ids& wanted,
                   std::chrono::seconds lasts = hold_duration) {
    return hold_in(*store_, event_, user, wanted, lasts);
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

  void complete_checkout(Hold sold) { run_sync(store_->complete_checkout(map_, std::move(sold))); }

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

  void expect_consistent() {
    const auto seen = availability_of(event_);
    ASSERT_EQ(seen.seats.size(), map_.size());
    SeatCounts recount;
    for (const auto seat_status : seen.seats) {
      ++(seat_status == SeatStatus::sold   ? recount.sold
         : seat_status == SeatStatus::held ? recount.held
                                           : recount.available);
    }
    EXPECT_EQ(tally(seen.counts), tally(recount));
    EXPECT_EQ(seen.counts.sold + seen.counts.held + seen.counts.available, map_.capacity());
    EXPECT_EQ(counts(), tally(seen.counts));
  }

  int loads_of(const std::string& event) {
    std::scoped_lock lock{loader_mutex_};
    return loads_[event];
  }

  TestClock clock_{TimePoint{std::chrono::seconds{1'750'000'000}}};
  std::mutex loader_mutex_;
  std::unordered_map<std::string, Ids> sold_by_event_;
  std::unordered_map<std::string, int> loads_;
  SeatMap map_ = small_venue();
  std::string event_ = new_event();
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<RedisInventoryStore> store_;
};

// On the shared test server; every test uses its own event.
class RedisInventoryStoreTest : public RedisInventoryTestBase {
 protected:
  void SetUp() override {
    url_ = testing::test_redis_url();
    if (!url_) {
      GTEST_SKIP() << "BOXOFFICE_TEST_REDIS_URL is not set";
    }
    client_ = std::make_unique<RedisClient>(RedisOptions{.url = *url_});
    store_ = make_store(*client_);
  }

  void TearDown() override {
    if (client_) {
      for (const auto& event : events_to_delete_) {
        delete_event(*client_, event);
      }
      delete_event(*client_, event_);
    }
  }

  std::optional<std::string> url_;
  std::vector<std::string> events_to_delete_;
};

// --- holding chosen seats ---------------------------------------------------------------

TEST_F(RedisInventoryStoreTest, HoldsChosenSeatsUntilTheirExpiry) {
  const auto before = clock_.now();
  const auto outcome = hold("ann", {"s1-r0-4", "s1-r0-5"});
  ASSERT_TRUE(outcome.hold);
  EXPECT_TRUE(outcome.unavailable.empty());
  EXPECT_EQ(outcome.hold->event_id, event_);
  EXPECT_EQ(outcome.hold->user_id, "ann");
  EXPECT_EQ(outcome.hold->expires_at, before + hold_duration);
  EXPECT_FALSE(outcome.hold->checking_out);

  const auto found = find(outcome.hold->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->event_id, event_);
  EXPECT_EQ(found->user_id, "ann");
  EXPECT_EQ(found->expires_at, outcome.hold->expires_at);
  EXPECT_EQ(sorted(ids(found->seats)), (Ids{"s1-r0-4", "s1-r0-5"}));
  EXPECT_FALSE(found->checking_out);
  EXPECT_EQ(with_status(SeatStatus::held), (Ids{"s1-r0-4", "s1-r0-5"}));
  EXPECT_EQ(counts(), (Tally{0, 2, 40}));
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, KeepsTheExactExpiryAndNeverFreesEarly) {
  // Not a whole millisecond: the expiry comes back to the tick, and the hold lasts at
  // least until it.
  clock_.advance(250us);
  const auto outcome = hold("ann", {"s1-r0-1"}, 60s);
  ASSERT_TRUE(outcome.hold);
  EXPECT_EQ(find(outcome.hold->id)->expires_at, clock_.now() + 60s);
  clock_.set(outcome.hold->expires_at - 1us);
  EXPECT_TRUE(find(outcome.hold->id));
  clock_.set(outcome.hold->expires_at + 1ms);
  EXPECT_FALSE(find(outcome.hold->id));
}

TEST_F(RedisInventoryStoreTest, HoldsNothingWhenOneSeatIsTakenAndNamesExactlyTheConflicts) {
  ASSERT_TRUE(hold("bob", {"s1-r0-3"}).hold);
  mark_sold({"s1-r0-6"});

  const auto outcome = hold("ann", {"s1-r0-2", "s1-r0-3", "s1-r0-4", "s1-r0-5", "s1-r0-6"});
  EXPECT_FALSE(outcome.hold);
  EXPECT_EQ(sorted(ids(outcome.unavailable)), (Ids{"s1-r0-3", "s1-r0-6"}));
  EXPECT_EQ(counts(), (Tally{1, 1, 40}));
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, AFailedRequestKeepsTheUsersPreviousHold) {
  const auto first = hold("ann", {"s1-r1-1"});
  ASSERT_TRUE(first.hold);
  ASSERT_TRUE(hold("bob", {"s1-r0-1"}).hold);

  EXPECT_FALSE(hold("ann", {"s1-r0-1", "s1-r0-2"}).hold);
  EXPECT_TRUE(find(first.hold->id));
  EXPECT_EQ(status("s1-r1-1"), SeatStatus::held);
  EXPECT_EQ(status("s1-r0-2"), SeatStatus::available);
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, ANewHoldOfTheSameUserReplacesThePreviousOneAndMayReuseItsSeats) {
  const auto first = hold("ann", {"s1-r0-1", "s1-r0-2"});
  ASSERT_TRUE(first.hold);

  const auto second = hold("ann", {"s1-r0-2", "s1-r0-3"});
  ASSERT_TRUE(second.hold);
  EXPECT_FALSE(find(first.hold->id));
  EXPECT_TRUE(find(second.hold->id));
  EXPECT_EQ(with_status(SeatStatus::held), (Ids{"s1-r0-2", "s1-r0-3"}));
  EXPECT_FALSE(release(first.hold->id, "ann"));
  EXPECT_EQ(counts(), (Tally{0, 2, 40}));
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, OneLiveHoldPerUserIsCountedPerEvent) {
  const auto other_event = new_event();
  events_to_delete_.push_back(other_event);
  const auto here = hold("ann", {"s1-r0-1"});
  const auto there = hold_in(*store_, other_event, "ann", {"s1-r0-1"});
  ASSERT_TRUE(here.hold);
  ASSERT_TRUE(there.hold);
  EXPECT_TRUE(find(here.hold->id));
  EXPECT_TRUE(find(there.hold->id));
  EXPECT_EQ(counts(), (Tally{0, 1, 41}));
  EXPECT_EQ(counts_of(other_event), (Tally{0, 1, 41}));
}

TEST_F(RedisInventoryStoreTest, RefusesHoldIdsThatDoNotCarryTheirEvent) {
  auto made = request("ann", event_);
  made.hold_id = "not-a-hold-id-of-this-event-at-all-0123456789";
  auto indexes = seats({"s1-r0-1"});
  EXPECT_THROW(run_sync(store_->hold_seats(map_, std::move(made), std::move(indexes))),
               std::invalid_argument);
  EXPECT_FALSE(find("short"));
  EXPECT_FALSE(release("short", "ann"));
  EXPECT_EQ(begin_checkout("short", "ann").result, CheckoutStart::not_found);
}

// --- release and expiry -----------------------------------------------------------------

TEST_F(RedisInventoryStoreTest, ReleaseFreesTheSeatsAtOnceAndOnlyForTheOwner) {
  const auto outcome = hold("ann", {"s0-r1-3", "s0-r1-4"});
  ASSERT_TRUE(outcome.hold);

  EXPECT_FALSE(release(outcome.hold->id, "bob"));
  EXPECT_TRUE(release(outcome.hold->id, "ann"));
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_EQ(counts(), (Tally{0, 0, 42}));
  EXPECT_TRUE(hold("bob", {"s0-r1-3", "s0-r1-4"}).hold);
  EXPECT_FALSE(release(outcome.hold->id, "ann"));
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, ExpiryFreesTheSeatsFromTheExpiryInstantOn) {
  const auto outcome = hold("ann", {"s1-r2-5"}, 60s);
  ASSERT_TRUE(outcome.hold);

  clock_.set(outcome.hold->expires_at - 1s);
  expire_holds();
  EXPECT_TRUE(find(outcome.hold->id));
  EXPECT_EQ(status("s1-r2-5"), SeatStatus::held);

  clock_.set(outcome.hold->expires_at);
  expire_holds();
  EXPECT_EQ(status("s1-r2-5"), SeatStatus::available);
  EXPECT_FALSE(find(outcome.hold->id));
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, ExpiryHappensLazilyOnTheNextCallWithoutASweep) {
  const auto outcome = hold("ann", {"s1-r2-5", "s1-r2-6"}, 60s);
  ASSERT_TRUE(outcome.hold);
  clock_.advance(61s);

  EXPECT_EQ(counts(), (Tally{0, 0, 42}));
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_TRUE(hold("bob", {"s1-r2-5", "s1-r2-6"}).hold);
}

TEST_F(RedisInventoryStoreTest, AnotherUserMayHoldExpiredSeatsBeforeAnyRead) {
  ASSERT_TRUE(hold("ann", {"s1-r2-5"}, 60s).hold);
  clock_.advance(60s);
  ASSERT_TRUE(hold("bob", {"s1-r2-5"}).hold);
  EXPECT_EQ(counts(), (Tally{0, 1, 41}));
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, TheSweepClearsABacklogLargerThanOneBatch) {
  map_ = five_hundred_seats();
  constexpr int holders = 250;
  for (int i = 0; i < holders; ++i) {
    const std::string one{map_.seat(static_cast<SeatIndex>(i)).id};
    ASSERT_TRUE(hold("user" + std::to_string(i), {one}, 60s).hold);
  }
  EXPECT_EQ(counts(), (Tally{0, holders, 500 - holders}));
  clock_.advance(60s);
  expire_holds();
  EXPECT_EQ(counts(), (Tally{0, 0, 500}));
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, ASeatOfAnExpiredHoldIsFreeEvenBeforeItsHoldIsSwept) {
  map_ = five_hundred_seats();
  // More due holds than one script frees, the last one due last: its seat is still marked
  // held when bob asks for it, and is freed on the spot.
  for (int i = 0; i < 150; ++i) {
    const std::string one{map_.seat(static_cast<SeatIndex>(i)).id};
    ASSERT_TRUE(hold("user" + std::to_string(i), {one}, i == 149 ? 61s : 60s).hold);
  }
  clock_.advance(61s);
  const std::string last{map_.seat(149).id};
  EXPECT_TRUE(hold("bob", {last}).hold);
  EXPECT_EQ(std::get<1>(counts()), 1);
}

// --- best available ---------------------------------------------------------------------

TEST_F(RedisInventoryStoreTest, BestAvailableTakesTheCentreOfTheNearestRow) {
  const auto outcome = best("ann", "standard", 3);
  ASSERT_TRUE(outcome.hold);
  EXPECT_EQ(sorted(ids(outcome.hold->seats)), (Ids{"s1-r0-4", "s1-r0-5", "s1-r0-6"}));
  EXPECT_EQ(with_status(SeatStatus::held), (Ids{"s1-r0-4", "s1-r0-5", "s1-r0-6"}));
  EXPECT_TRUE(find(outcome.hold->id));
}

TEST_F(RedisInventoryStoreTest, BestAvailableMovesBackARowWhenTheNearestHasNoRoomTogether) {
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

TEST_F(RedisInventoryStoreTest, BestAvailableHonoursTheCategoryAndHoldsNothingWhenTooFewAreFree) {
  const auto premium = best("ann", "premium", 12);
  ASSERT_TRUE(premium.hold);
  for (const auto index : premium.hold->seats) {
    EXPECT_EQ(map_.seat(index).category, "premium") << map_.seat(index).id;
  }
  const auto more = best("bob", "premium", 1);
  EXPECT_FALSE(more.hold);
  EXPECT_TRUE(more.unavailable.empty());
  EXPECT_EQ(counts(), (Tally{0, 12, 30}));
  auto unknown_category = request("bob", event_);
  EXPECT_FALSE(run_sync(store_->hold_best_available(map_, std::move(unknown_category), 7, 1)).hold);
}

TEST_F(RedisInventoryStoreTest, BestAvailableMayReuseTheUsersOwnPreviousSeats) {
  // Ann holds the whole premium section; asking again for all 12 must succeed, since her
  // previous hold gives its seats back in the same step.
  ASSERT_TRUE(best("ann", "premium", 12).hold);
  const auto again = best("ann", "premium", 12);
  ASSERT_TRUE(again.hold);
  EXPECT_EQ(counts(), (Tally{0, 12, 30}));
  expect_consistent();
}

// --- checkout ---------------------------------------------------------------------------

TEST_F(RedisInventoryStoreTest, ACheckoutLockKeepsTheHoldPastItsExpiryUntilTheGraceEnds) {
  const auto outcome = hold("ann", {"s1-r0-1"}, 60s);
  ASSERT_TRUE(outcome.hold);
  const auto started = begin_checkout(outcome.hold->id, "ann", 120s);
  ASSERT_EQ(started.result, CheckoutStart::started);
  ASSERT_TRUE(started.hold);
  EXPECT_TRUE(started.hold->checking_out);
  EXPECT_EQ(started.hold->expires_at, outcome.hold->expires_at);
  EXPECT_EQ(ids(started.hold->seats), (Ids{"s1-r0-1"}));

  EXPECT_EQ(begin_checkout(outcome.hold->id, "ann").result, CheckoutStart::expired);
  EXPECT_EQ(begin_checkout(outcome.hold->id, "bob").result, CheckoutStart::not_found);
  EXPECT_FALSE(release(outcome.hold->id, "ann"));

  // A new hold of the same user does not replace a hold being paid for.
  const auto other = hold("ann", {"s1-r0-2"});
  ASSERT_TRUE(other.hold);
  EXPECT_TRUE(find(outcome.hold->id));

  clock_.advance(90s);
  expire_holds();
  const auto locked = find(outcome.hold->id);
  ASSERT_TRUE(locked);
  EXPECT_TRUE(locked->checking_out);

  clock_.advance(30s);
  expire_holds();
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_EQ(status("s1-r0-1"), SeatStatus::available);
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, AbortRestoresTheOriginalExpiry) {
  const auto outcome = hold("ann", {"s1-r0-1"}, 60s);
  ASSERT_TRUE(outcome.hold);
  ASSERT_EQ(begin_checkout(outcome.hold->id, "ann", 120s).result, CheckoutStart::started);
  clock_.advance(30s);
  abort_checkout(outcome.hold->id);
  const auto live = find(outcome.hold->id);
  ASSERT_TRUE(live);
  EXPECT_FALSE(live->checking_out);
  EXPECT_EQ(live->expires_at, outcome.hold->expires_at);
  EXPECT_TRUE(release(outcome.hold->id, "ann"));
}

TEST_F(RedisInventoryStoreTest, AbortAfterTheExpiryFreesTheHold) {
  const auto outcome = hold("ann", {"s1-r0-1"}, 60s);
  ASSERT_TRUE(outcome.hold);
  ASSERT_EQ(begin_checkout(outcome.hold->id, "ann", 120s).result, CheckoutStart::started);
  clock_.advance(90s);
  abort_checkout(outcome.hold->id);
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_EQ(counts(), (Tally{0, 0, 42}));
}

TEST_F(RedisInventoryStoreTest, CompleteCheckoutSellsTheSeatsAndUsesUpTheHold) {
  const auto outcome = hold("ann", {"s1-r0-1", "s1-r0-2"});
  ASSERT_TRUE(outcome.hold);
  const auto started = begin_checkout(outcome.hold->id, "ann");
  ASSERT_TRUE(started.hold);
  complete_checkout(*started.hold);
  EXPECT_FALSE(find(outcome.hold->id));
  EXPECT_EQ(with_status(SeatStatus::sold), (Ids{"s1-r0-1", "s1-r0-2"}));
  EXPECT_EQ(counts(), (Tally{2, 0, 40}));
  EXPECT_EQ(sorted(ids(hold("bob", {"s1-r0-1", "s1-r0-3"}).unavailable)), (Ids{"s1-r0-1"}));
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, CompleteCheckoutSellsEvenWhenTheHoldWasLost) {
  const auto outcome = hold("ann", {"s1-r0-1", "s1-r0-2"}, 60s);
  ASSERT_TRUE(outcome.hold);
  const auto started = begin_checkout(outcome.hold->id, "ann", 10s);
  ASSERT_TRUE(started.hold);
  // The payment outlived the grace: the hold expired and bob took one of its seats.
  clock_.advance(61s);
  const auto bobs = hold("bob", {"s1-r0-2"}, 60s);
  ASSERT_TRUE(bobs.hold);

  complete_checkout(*started.hold);
  EXPECT_EQ(with_status(SeatStatus::sold), (Ids{"s1-r0-1", "s1-r0-2"}));
  EXPECT_EQ(counts(), (Tally{2, 0, 40}));
  // Bob's hold, when it goes, must not give back a seat that is now sold.
  clock_.advance(61s);
  expire_holds();
  EXPECT_EQ(with_status(SeatStatus::sold), (Ids{"s1-r0-1", "s1-r0-2"}));
  expect_consistent();
}

// --- the sold-seat mirror ---------------------------------------------------------------

TEST_F(RedisInventoryStoreTest, MarkSoldAndMarkAvailableMirrorTheDatabase) {
  ASSERT_TRUE(hold("ann", {"s0-r0-1"}).hold);
  mark_sold({"s0-r0-2", "s0-r0-3"});
  EXPECT_EQ(counts(), (Tally{2, 1, 39}));
  // Only sold seats come back; a held one is left to its hold.
  mark_available({"s0-r0-2", "s0-r0-1", "s0-r0-4"});
  EXPECT_EQ(with_status(SeatStatus::sold), (Ids{"s0-r0-3"}));
  EXPECT_EQ(with_status(SeatStatus::held), (Ids{"s0-r0-1"}));
  EXPECT_EQ(counts(), (Tally{1, 1, 40}));
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, LoadsTheSoldSeatsOnceAtFirstUse) {
  sold_by_event_[event_] = {"s1-r0-5", "s1-r0-6", "s1-r0-5", "no-such-seat"};
  EXPECT_EQ(counts(), (Tally{2, 0, 40}));
  EXPECT_EQ(sorted(ids(hold("ann", {"s1-r0-5", "s1-r0-7"}).unavailable)), (Ids{"s1-r0-5"}));
  EXPECT_EQ(with_status(SeatStatus::sold), (Ids{"s1-r0-5", "s1-r0-6"}));
  EXPECT_EQ(loads_of(event_), 1);
  // Another instance finds the mirror already there.
  RedisClient other_client{RedisOptions{.url = *url_}};
  auto other = make_store(other_client);
  EXPECT_EQ(tally(run_sync(other->counts(map_, event_))), (Tally{2, 0, 40}));
  EXPECT_EQ(loads_of(event_), 1);
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, InstancesShareHolds) {
  RedisClient other_client{RedisOptions{.url = *url_}};
  auto other = make_store(other_client);
  const auto anns = hold("ann", {"s1-r0-1"});
  ASSERT_TRUE(anns.hold);
  const auto seen = run_sync(other->find_hold(anns.hold->id));
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->user_id, "ann");
  EXPECT_FALSE(hold_in(*other, event_, "bob", {"s1-r0-1"}).hold);
  EXPECT_TRUE(run_sync(other->release_hold(anns.hold->id, "ann")));
  EXPECT_EQ(status("s1-r0-1"), SeatStatus::available);
}

TEST_F(RedisInventoryStoreTest, ScriptsSurviveAScriptFlush) {
  ASSERT_TRUE(hold("ann", {"s1-r0-1"}).hold);
  run_command(*client_, {"SCRIPT", "FLUSH"});
  EXPECT_TRUE(hold("bob", {"s1-r0-2"}).hold);
  EXPECT_EQ(counts(), (Tally{0, 2, 40}));
}

// --- races ------------------------------------------------------------------------------

TEST_F(RedisInventoryStoreTest, SixtyFourCoroutinesRacingForTheSameSeatsMakeExactlyOneHold) {
  constexpr int racers = 64;
  // Loaded up front, so the race is on the claim alone.
  ASSERT_EQ(counts(), (Tally{0, 0, 42}));
  boost::asio::io_context io{2};
  std::atomic<int> won{0};
  std::atomic<int> lost{0};
  std::atomic<int> failed{0};
  for (int i = 0; i < racers; ++i) {
    auto made = request("racer" + std::to_string(i), event_);
    auto wanted = seats({"s1-r1-4", "s1-r1-5", "s1-r1-6", "s1-r1-7"});
    auto racer = [&, made = std::move(made),
                  wanted = std::move(wanted)]() mutable -> boost::asio::awaitable<void> {
      try {
        const auto outcome = co_await store_->hold_seats(map_, std::move(made), std::move(wanted));
        ++(outcome.hold ? won : lost);
      } catch (const std::exception&) {
        ++failed;
      }
    };
    boost::asio::co_spawn(io, std::move(racer), boost::asio::detached);
  }
  std::thread second{[&io] { io.run(); }};
  io.run();
  second.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(lost, racers - 1);
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(counts(), (Tally{0, 4, 38}));
  expect_consistent();
}

TEST_F(RedisInventoryStoreTest, RacingBestAvailableNeverHoldsASeatTwice) {
  constexpr int racers = 16;
  boost::asio::io_context io{2};
  std::mutex mutex;
  std::vector<Hold> holds;
  std::atomic<int> failed{0};
  const auto standard = map_.find_category("standard").value();
  for (int i = 0; i < racers; ++i) {
    auto made = request("racer" + std::to_string(i), event_);
    auto racer = [&, made = std::move(made)]() mutable -> boost::asio::awaitable<void> {
      try {
        const auto outcome =
            co_await store_->hold_best_available(map_, std::move(made), standard, 2);
        if (outcome.hold) {
          std::scoped_lock lock{mutex};
          holds.push_back(*outcome.hold);
        }
      } catch (const std::exception&) {
        ++failed;
      }
    };
    boost::asio::co_spawn(io, std::move(racer), boost::asio::detached);
  }
  std::thread second{[&io] { io.run(); }};
  io.run();
  second.join();
  EXPECT_EQ(failed, 0);
  std::set<SeatIndex> taken;
  for (const auto& made : holds) {
    for (const auto index : made.seats) {
      EXPECT_TRUE(taken.insert(index).second) << map_.seat(index).id << " held twice";
    }
  }
  // 30 standard seats, 16 parties of two: fifteen get seats, none shares one.
  EXPECT_EQ(holds.size(), 15U);
  EXPECT_EQ(std::get<1>(counts()), static_cast<std::int64_t>(taken.size()));
  expect_consistent();
}

// --- a flushed or restarted Redis (own server: FLUSHALL would disturb other tests) ------

class RedisInventoryFlushTest : public RedisInventoryTestBase {
 protected:
  void SetUp() override {
    if (!testing::test_redis_url()) {
      GTEST_SKIP() << "BOXOFFICE_TEST_REDIS_URL is not set";
    }
    if (!PrivateRedisServer::available()) {
      GTEST_SKIP() << "redis-server is not installed";
    }
    server_ = std::make_unique<PrivateRedisServer>();
    client_ = std::make_unique<RedisClient>(RedisOptions{.url = server_->url()});
    ASSERT_TRUE(testing::eventually([&] { run_sync(client_->ping()); }, 5s));
    store_ = make_store(*client_);
  }

  void TearDown() override {
    store_.reset();
    client_.reset();
    server_.reset();
  }

  void flush() { run_command(*client_, {"FLUSHALL"}); }

  std::unique_ptr<PrivateRedisServer> server_;
};

TEST_F(RedisInventoryFlushTest, AfterAFlushSoldSeatsAreStillSoldAndCannotBeHeld) {
  sold_by_event_[event_] = {"s1-r0-1"};
  const auto anns = hold("ann", {"s1-r0-2", "s1-r0-3"});
  ASSERT_TRUE(anns.hold);
  const auto started = begin_checkout(anns.hold->id, "ann");
  ASSERT_TRUE(started.hold);
  // The order committed: the database now lists the seats, then the mirror is updated.
  sold_by_event_[event_].insert(sold_by_event_[event_].end(), {"s1-r0-2", "s1-r0-3"});
  complete_checkout(*started.hold);
  EXPECT_EQ(counts(), (Tally{3, 0, 39}));

  flush();
  const auto bobs = hold("bob", {"s1-r0-1", "s1-r0-2", "s1-r0-3", "s1-r0-4"});
  EXPECT_FALSE(bobs.hold);
  EXPECT_EQ(sorted(ids(bobs.unavailable)), (Ids{"s1-r0-1", "s1-r0-2", "s1-r0-3"}));
  EXPECT_EQ(with_status(SeatStatus::sold), (Ids{"s1-r0-1", "s1-r0-2", "s1-r0-3"}));
  EXPECT_EQ(loads_of(event_), 2);
  expect_consistent();
}

TEST_F(RedisInventoryFlushTest, EveryKindOfCallRebuildsTheMirrorAfterAFlush) {
  sold_by_event_[event_] = {"s0-r0-1"};
  EXPECT_EQ(counts(), (Tally{1, 0, 41}));
  flush();
  EXPECT_EQ(status("s0-r0-1"), SeatStatus::sold);
  flush();
  EXPECT_EQ(std::get<0>(tally(run_sync(store_->counts(map_, event_)))), 1);
  flush();
  mark_sold({"s0-r0-2"});
  EXPECT_EQ(with_status(SeatStatus::sold), (Ids{"s0-r0-1", "s0-r0-2"}));
  flush();
  EXPECT_FALSE(best("ann", "premium", 12).hold);
  expect_consistent();
}

TEST_F(RedisInventoryFlushTest, HoldsAreGoneAfterAFlushButNothingBreaks) {
  const auto anns = hold("ann", {"s1-r0-1"});
  ASSERT_TRUE(anns.hold);
  flush();
  EXPECT_FALSE(find(anns.hold->id));
  EXPECT_FALSE(release(anns.hold->id, "ann"));
  EXPECT_EQ(begin_checkout(anns.hold->id, "ann").result, CheckoutStart::not_found);
  abort_checkout(anns.hold->id);
  expire_holds();
  EXPECT_TRUE(hold("bob", {"s1-r0-1"}).hold);
  expect_consistent();
}

TEST_F(RedisInventoryFlushTest, ASnapshotReadBeforeAFlushIsNotTrusted) {
  // The first load reads the database, then Redis is flushed before the snapshot is
  // written (the flush may have wiped sales mirrored after the read). The snapshot must
  // be refused and the database read again.
  int calls = 0;
  SoldSeatsLoader loader = [&](std::string) -> boost::asio::awaitable<Ids> {
    ++calls;
    if (calls == 1) {
      Ids flushall{"FLUSHALL"};
      co_await client_->command(std::move(flushall));
      Ids stale;
      co_return stale;
    }
    Ids current{"s1-r0-1"};
    co_return current;
  };
  RedisInventoryStore store{*client_, clock_, std::move(loader)};
  const auto seen = run_sync(store.availability(map_, event_));
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(seen.seats.at(seat("s1-r0-1")), SeatStatus::sold);
  EXPECT_EQ(seen.counts.sold, 1);
}

TEST_F(RedisInventoryFlushTest, ARestartedServerIsReloadedFromTheDatabase) {
  sold_by_event_[event_] = {"s1-r0-1"};
  ASSERT_TRUE(hold("ann", {"s1-r0-2"}).hold);
  server_->stop();
  EXPECT_THROW(hold("bob", {"s1-r0-3"}), StoreUnavailable);
  server_->start();
  ASSERT_TRUE(testing::eventually([&] { run_sync(client_->ping()); }, 5s));
  EXPECT_EQ(counts(), (Tally{1, 0, 41}));
  EXPECT_FALSE(hold("bob", {"s1-r0-1"}).hold);
  EXPECT_TRUE(hold("bob", {"s1-r0-2"}).hold);
}

TEST_F(RedisInventoryFlushTest, APersistentServerIsRebuiltAfterARestartAndKeepsItsHolds) {
  server_.reset();
  server_ = std::make_unique<PrivateRedisServer>(std::vector<std::string>{"--appendonly", "yes"});
  client_ = std::make_unique<RedisClient>(RedisOptions{.url = server_->url()});
  ASSERT_TRUE(testing::eventually([&] { run_sync(client_->ping()); }, 5s));
  store_ = make_store(*client_);

  sold_by_event_[event_] = {"s1-r0-1"};
  const auto anns = hold("ann", {"s1-r0-2"});
  ASSERT_TRUE(anns.hold);
  // A sale the database has but the mirror lost, as the last second before a crash may
  // be missing from the append-only file.
  sold_by_event_[event_].push_back("s1-r0-3");
  EXPECT_EQ(status("s1-r0-3"), SeatStatus::available);

  server_->stop();
  server_->start();
  ASSERT_TRUE(testing::eventually([&] { run_sync(client_->ping()); }, 5s));
  EXPECT_EQ(counts(), (Tally{2, 1, 39}));
  EXPECT_EQ(sorted(ids(hold("bob", {"s1-r0-3", "s1-r0-2", "s1-r0-4"}).unavailable)),
            (Ids{"s1-r0-2", "s1-r0-3"}));
  const auto kept = find(anns.hold->id);
  ASSERT_TRUE(kept);
  EXPECT_EQ(ids(kept->seats), (Ids{"s1-r0-2"}));
  EXPECT_TRUE(release(anns.hold->id, "ann"));
  EXPECT_EQ(counts(), (Tally{2, 0, 40}));
  expect_consistent();
}

}  // namespace
}  // namespace boxoffice::store::redis
