// Seat holds and availability in this process's memory: the embedded default. One mutex
// per event makes every hold an atomic all-or-nothing step.
#pragma once

#include "common/clock.hpp"
#include "domain/seat_set.hpp"
#include "store/inventory_store.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace boxoffice::store {

class MemoryInventoryStore final : public InventoryStore {
 public:
  MemoryInventoryStore(const Clock& clock, SoldSeatsLoader load_sold_seats);

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
  struct LiveHold {
    Hold hold;
    TimePoint locked_until;
  };
  struct EventState {
    explicit EventState(std::size_t seats);
    std::mutex mutex;
    std::vector<SeatStatus> status;
    domain::SeatSet free;
    SeatCounts counts;
    std::unordered_map<std::string, LiveHold> holds;
    // The hold that holds each held seat. A hold's own list may keep a seat that was sold
    // under it meanwhile (a repair, a lost hold completed); only the owner acts on a seat.
    std::unordered_map<domain::SeatIndex, std::string> owner;
    std::unordered_map<std::string, std::string> hold_of_user;
    std::multimap<TimePoint, std::string> deadlines;
  };

  boost::asio::awaitable<std::shared_ptr<EventState>> state(const domain::SeatMap& map,
                                                            const std::string& event_id);
  std::shared_ptr<EventState> state_of_hold(const std::string& hold_id);
  void expire_locked(EventState& event, TimePoint now);
  void set_status(EventState& event, domain::SeatIndex seat, SeatStatus status);
  void drop_hold_locked(EventState& event, const std::string& hold_id, SeatStatus seats_become);
  void sell_locked(EventState& event, domain::SeatIndex seat);
  [[nodiscard]] static bool owns(const EventState& event, domain::SeatIndex seat,
                                 const std::string& hold_id);
  HoldOutcome place_locked(EventState& event, const HoldRequest& request,
                           std::vector<domain::SeatIndex> seats);

  const Clock& clock_;
  SoldSeatsLoader load_sold_seats_;
  std::mutex events_mutex_;
  std::unordered_map<std::string, std::shared_ptr<EventState>> events_;
  std::unordered_map<std::string, std::shared_ptr<EventState>> hold_events_;
};

}  // namespace boxoffice::store
