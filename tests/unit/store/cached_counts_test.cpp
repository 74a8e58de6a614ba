#include "store/cached_counts.hpp"

#include "common/run_sync.hpp"
#include "domain/seat_map.hpp"
#include "domain/venue_layout.hpp"
#include "paused_counts_store.hpp"
#include "stepped_clock.hpp"
#include "store/hold_id.hpp"
#include "store/memory/memory_inventory_store.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <tuple>

namespace boxoffice::store {
namespace {

using namespace std::chrono_literals;
using Tally = std::tuple<std::int64_t, std::int64_t, std::int64_t>;  // sold, held, available

boost::asio::awaitable<std::vector<std::string>> nothing_sold(std::string /*event_id*/) {
  co_return std::vector<std::string>{};
}

domain::SeatMap ten_seats() {
  auto map = domain::build_seat_map(domain::VenueLayout{
      .sections = {domain::SectionLayout{"Stalls", "standard", {{"A", 10}}}}, .areas = {}});
  if (!map) {
    throw std::invalid_argument("test layout refused");
  }
  return std::move(map).value();
}

// The cache in front of a store that the tests may also change behind its back, as another
// instance would.
class CachedCountsTest : public ::testing::Test {
 protected:
  Tally counts() {
    const auto counts = run_sync(cached_->counts(map_, event_));
    return {counts.sold, counts.held, counts.available};
  }

  HoldRequest request(const std::string& user) {
    return HoldRequest{.event_id = event_,
                       .user_id = user,
                       .hold_id = new_hold_id(event_),
                       .expires_at = clock_.now() + 10min};
  }

  std::optional<Hold> hold_elsewhere(const std::string& user, domain::SeatIndex seat) {
    return run_sync(store_->hold_seats(map_, request(user), {seat})).hold;
  }

  // Starts a read through the cache on `io_` whose answer the store holds back until
  // release(); `answer` gets it once the read finishes.
  void start_paused_read(std::optional<Tally>& answer) {
    paused_->pause_next_counts();
    boost::asio::co_spawn(io_, cached_->counts(map_, event_),
                          [&answer](const std::exception_ptr& error, SeatCounts counts) {
                            if (!error) {
                              answer = Tally{counts.sold, counts.held, counts.available};
                            }
                          });
    io_.restart();
    io_.poll();
  }

  void finish_paused_read() {
    paused_->release();
    io_.restart();
    io_.run();
  }

  void use_paused_store() { cached_ = std::make_unique<CachedCounts>(paused_, clock_, 1min); }

  void use_lifetime(std::chrono::milliseconds ttl) {
    cached_ = std::make_unique<CachedCounts>(store_, clock_, ttl);
  }

  SteppedClock clock_;
  domain::SeatMap map_ = ten_seats();
  std::string event_ = "event-cached-counts";
  std::shared_ptr<MemoryInventoryStore> store_ =
      std::make_shared<MemoryInventoryStore>(clock_, nothing_sold);
  // Before the cache, which may own the paused store, whose timer needs the io_context.
  boost::asio::io_context io_;
  std::shared_ptr<PausedCountsStore> paused_ = std::make_shared<PausedCountsStore>(store_, io_);
  std::unique_ptr<CachedCounts> cached_ = std::make_unique<CachedCounts>(store_, clock_, 1min);
};

TEST_F(CachedCountsTest, AChangeMadeElsewhereShowsOnlyOnceTheCountsAreOlderThanTheirLifetime) {
  use_lifetime(250ms);
  EXPECT_EQ(counts(), (Tally{0, 0, 10}));
  ASSERT_TRUE(hold_elsewhere("ann", 0));
  clock_.advance(249ms);
  EXPECT_EQ(counts(), (Tally{0, 0, 10})) << "read again instead of kept";
  clock_.advance(1ms);
  EXPECT_EQ(counts(), (Tally{0, 1, 9}));
}

TEST_F(CachedCountsTest, CountsReadBeforeTheClockSteppedBackAreReadAgain) {
  EXPECT_EQ(counts(), (Tally{0, 0, 10}));
  ASSERT_TRUE(hold_elsewhere("ann", 0));
  clock_.advance(-1s);
  EXPECT_EQ(counts(), (Tally{0, 1, 9}));
}

TEST_F(CachedCountsTest, EveryChangeMadeThroughTheCacheShowsInTheNextRead) {
  EXPECT_EQ(counts(), (Tally{0, 0, 10}));
  const auto ann = run_sync(cached_->hold_seats(map_, request("ann"), {0, 1})).hold;
  ASSERT_TRUE(ann);
  EXPECT_EQ(counts(), (Tally{0, 2, 8}));

  const auto bob = run_sync(cached_->hold_best_available(map_, request("bob"), 0, 3)).hold;
  ASSERT_TRUE(bob);
  EXPECT_EQ(counts(), (Tally{0, 5, 5}));

  EXPECT_TRUE(run_sync(cached_->release_hold(bob->id, "bob")));
  EXPECT_EQ(counts(), (Tally{0, 2, 8}));

  ASSERT_TRUE(run_sync(cached_->begin_checkout(ann->id, "ann", 30s)).hold);
  run_sync(cached_->complete_checkout(map_, *ann));
  EXPECT_EQ(counts(), (Tally{2, 0, 8}));

  run_sync(cached_->mark_available(map_, event_, {0}));
  EXPECT_EQ(counts(), (Tally{1, 0, 9}));
  run_sync(cached_->mark_sold(map_, event_, {5}));
  EXPECT_EQ(counts(), (Tally{2, 0, 8}));
}

TEST_F(CachedCountsTest, EachEventKeepsItsOwnCounts) {
  const std::string other = "event-cached-counts-other";
  EXPECT_EQ(counts(), (Tally{0, 0, 10}));
  EXPECT_EQ(run_sync(cached_->counts(map_, other)).available, 10);
  ASSERT_TRUE(hold_elsewhere("ann", 3));
  auto on_other = request("bob");
  on_other.event_id = other;
  on_other.hold_id = new_hold_id(other);
  ASSERT_TRUE(run_sync(cached_->hold_seats(map_, on_other, {4})).hold);
  EXPECT_EQ(run_sync(cached_->counts(map_, other)).held, 1);
  EXPECT_EQ(counts(), (Tally{0, 0, 10})) << "a change of another event dropped these counts";
}

TEST_F(CachedCountsTest, AReadOvertakenByAChangeHereIsNotKept) {
  use_paused_store();
  std::optional<Tally> in_flight;
  start_paused_read(in_flight);
  ASSERT_TRUE(paused_->paused());

  ASSERT_TRUE(run_sync(cached_->hold_seats(map_, request("ann"), {0})).hold);
  finish_paused_read();

  EXPECT_EQ(in_flight, (Tally{0, 0, 10})) << "the read did not start before the change";
  EXPECT_EQ(counts(), (Tally{0, 1, 9})) << "the read from before the change was kept";
}

TEST_F(CachedCountsTest, AnOlderReadFinishingLastDoesNotReplaceANewerOne) {
  use_paused_store();
  std::optional<Tally> older;
  start_paused_read(older);
  ASSERT_TRUE(paused_->paused());

  ASSERT_TRUE(hold_elsewhere("ann", 0));
  clock_.advance(100ms);
  EXPECT_EQ(counts(), (Tally{0, 1, 9}));
  finish_paused_read();

  EXPECT_EQ(older, (Tally{0, 0, 10}));
  EXPECT_EQ(counts(), (Tally{0, 1, 9})) << "the older read replaced the newer one";
}

}  // namespace
}  // namespace boxoffice::store
