// Every event page and every line of the event list shows the event's sold, held and
// available counts. With a shared inventory that is a round trip to Redis per read, so a
// crowd refreshing pages costs as much as a crowd buying. Each instance therefore keeps
// an event's counts for a fraction of a second, the time an edge may cache the page
// anyway, except that a change made through this instance drops them at once: whoever
// buys or releases seats here sees their own change on the next read. Changes made on
// other instances, and holds expiring, show within `ttl`.
#pragma once

#include "common/clock.hpp"
#include "store/inventory_store.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace boxoffice::store {

class CachedCounts final : public InventoryStore {
 public:
  // `clock` is the application's: holds expire on its time, and so do these counts.
  CachedCounts(std::shared_ptr<InventoryStore> inventory, const Clock& clock,
               std::chrono::milliseconds ttl)
      : inventory_(std::move(inventory)), clock_(clock), ttl_(ttl) {}

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
  boost::asio::awaitable<void> expire_holds() override;

 private:
  struct Entry {
    SeatCounts counts;
    TimePoint read_started;
    std::uint64_t generation = 0;
  };
  // Drops the event's counts; runs after each change, whether it succeeded or threw (a
  // store that failed mid-way may still have changed something).
  void changed(const std::string& event_id);

  std::shared_ptr<InventoryStore> inventory_;
  const Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  // Per event, bumped by every change made here: a read that a change overtook must not
  // be kept, or it would hide the change for a whole `ttl`.
  std::unordered_map<std::string, std::uint64_t> generations_;
};

}  // namespace boxoffice::store
