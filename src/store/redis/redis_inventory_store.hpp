// Seat holds and availability in Redis, shared by every instance: each change is one Lua
// script on one event's keys (inventory_scripts.hpp has the key layout, the bounds and the
// persistence notes), with the same semantics as the in-process MemoryInventoryStore.
//
// The sold seats are a mirror of the database. A script that finds an event's mirror
// missing or built before the server last started (a fresh Redis, a FLUSHALL, a restart
// with or without persistence) answers NOT_LOADED; this store then reads the sold seats
// through the SoldSeatsLoader and writes the mirror with init_script before retrying, so
// a flushed or restarted Redis never offers a sold seat.
//
// Best available reads the category's slice of the status string and runs
// domain::best_available here: the best seats, then the best of what is left, and so on,
// a few choices deep. The claim script takes the first choice still wholly free, so
// concurrent requests that read the same snapshot spread over the choices as a serial
// run would have, instead of all contending for the first. When every choice was taken
// meanwhile, it reads again, a bounded number of times.
#pragma once

#include "common/async_gate.hpp"
#include "common/clock.hpp"
#include "store/inventory_store.hpp"
#include "store/redis/redis_client.hpp"
#include "store/sold_out_hints.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace boxoffice::store::redis {

class RedisInventoryStore final : public InventoryStore {
 public:
  // `clock` gives every script its "now", so holds expire on the application's time.
  RedisInventoryStore(RedisClient& client, const Clock& clock, SoldSeatsLoader load_sold_seats);

  // Hold ids must come from new_hold_id(request.event_id): the hold is found later from
  // its id alone (std::invalid_argument otherwise). At most scripts::max_seats_per_call
  // seats per hold.
  boost::asio::awaitable<HoldOutcome> hold_seats(const domain::SeatMap& map, HoldRequest request,
                                                 std::vector<domain::SeatIndex> seats) override;
  boost::asio::awaitable<HoldOutcome> hold_best_available(const domain::SeatMap& map,
                                                          HoldRequest request,
                                                          domain::CategoryIndex category,
                                                          std::int64_t quantity) override;
  boost::asio::awaitable<std::optional<Hold>> find_hold(std::string hold_id) override;
  boost::asio::awaitable<bool> release_hold(std::string hold_id, std::string user_id) override;
  boost::asio::awaitable<Checkout> begin_checkout(std::string hold_id, std::string user_id,
                                                  std::chrono::seconds grace) override;
  boost::asio::awaitable<void> abort_checkout(std::string hold_id) override;
  boost::asio::awaitable<void> complete_checkout(const domain::SeatMap& map, Hold hold) override;
  boost::asio::awaitable<void> mark_sold(const domain::SeatMap& map, std::string event_id,
                                         std::vector<domain::SeatIndex> seats) override;
  boost::asio::awaitable<void> mark_available(const domain::SeatMap& map, std::string event_id,
                                              std::vector<domain::SeatIndex> seats) override;
  boost::asio::awaitable<Availability> availability(const domain::SeatMap& map,
                                                    std::string event_id) override;
  boost::asio::awaitable<SeatCounts> counts(const domain::SeatMap& map,
                                            std::string event_id) override;
  // Sweeps the events this instance has touched that still have live holds. Holds of
  // events it never touched are freed by the lazy expiry of every other script on them.
  boost::asio::awaitable<void> expire_holds() override;

 private:
  // Runs an event script with the key prefix and the current time prepended to `args`.
  boost::asio::awaitable<RedisReply> run(const RedisScript& script, const std::string& event_id,
                                         std::vector<std::string> args);
  // As run(), loading the event's sold seats and retrying when the mirror is missing.
  boost::asio::awaitable<RedisReply> run_loaded(const domain::SeatMap& map,
                                                const RedisScript& script,
                                                const std::string& event_id,
                                                std::vector<std::string> args);
  boost::asio::awaitable<void> load(const domain::SeatMap& map, const std::string& event_id);
  // Holds the first of `choices` (in order of preference) whose seats are all free.
  boost::asio::awaitable<HoldOutcome> claim(const domain::SeatMap& map, const HoldRequest& request,
                                            std::vector<std::vector<domain::SeatIndex>> choices);
  boost::asio::awaitable<void> change_seats(const domain::SeatMap& map, const RedisScript& script,
                                            const std::string& event_id,
                                            const std::vector<domain::SeatIndex>& seats);

  // One gate per event and category: best-available requests of one category take turns
  // within this instance, so they stop invalidating each other's snapshot (other
  // instances' requests are still spread by the claim's alternatives).
  AsyncGate& best_available_gate(const std::string& event_id, domain::CategoryIndex category);

  // Whether the user has a hold on the event (perhaps just expired).
  boost::asio::awaitable<bool> has_hold(const std::string& event_id, const std::string& user_id);

  void remember(const std::string& event_id);
  void forget(const std::string& event_id, std::uint64_t generation);

  RedisClient& client_;
  const Clock& clock_;
  SoldSeatsLoader load_sold_seats_;
  // Events this instance touched, for expire_holds(). The generation tells a touch that
  // came after the sweep's look at an event from the one before it.
  std::mutex touched_mutex_;
  std::unordered_map<std::string, std::uint64_t> touched_;
  std::uint64_t touches_ = 0;
  std::mutex gates_mutex_;
  std::unordered_map<std::string, std::unique_ptr<AsyncGate>> gates_;
  SoldOutHints sold_out_hints_;
};

}  // namespace boxoffice::store::redis
