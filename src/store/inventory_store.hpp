// Live seat holds and the availability of every seat, kept out of the database so that a
// rush of holds never turns into row locks. In-process on the embedded default, Redis in
// production. Sold seats are mirrored here after each commit and rebuilt from the
// database when missing; the database stays the arbiter of what is sold.
#pragma once

#include "common/clock.hpp"
#include "domain/seat_map.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace boxoffice::store {

enum class SeatStatus : std::uint8_t { available = 0, held = 1, sold = 2 };

struct Hold {
  std::string id;
  std::string event_id;
  std::string user_id;
  std::vector<domain::SeatIndex> seats;
  TimePoint expires_at;
  // Locked by an order in progress: neither released nor expired until the order ends.
  bool checking_out = false;
};

struct HoldRequest {
  std::string event_id;
  std::string user_id;
  std::string hold_id;
  TimePoint expires_at;
};

struct HoldOutcome {
  std::optional<Hold> hold;
  // When no hold was made: the requested seats that were not available (empty for a
  // best-available request that found too few seats).
  std::vector<domain::SeatIndex> unavailable;
};

struct SeatCounts {
  std::int64_t sold = 0;
  std::int64_t held = 0;
  std::int64_t available = 0;
};

struct Availability {
  std::vector<SeatStatus> seats;
  SeatCounts counts;
};

enum class CheckoutStart { started, not_found, expired };

struct Checkout {
  CheckoutStart result = CheckoutStart::not_found;
  std::optional<Hold> hold;
};

// Reads an event's sold seat ids from the database of record, to (re)build the mirror.
using SoldSeatsLoader =
    std::function<boost::asio::awaitable<std::vector<std::string>>(std::string event_id)>;

// Every method throws StoreUnavailable (store_errors.hpp) when the store cannot answer.
class InventoryStore {
 public:
  virtual ~InventoryStore() = default;

  // All or nothing: holds every seat or none. The user's previous live hold on the same
  // event is released in the same step.
  virtual boost::asio::awaitable<HoldOutcome> hold_seats(const domain::SeatMap& map,
                                                         HoldRequest request,
                                                         std::vector<domain::SeatIndex> seats) = 0;
  // The best free seats of a category (domain::best_available), held atomically.
  virtual boost::asio::awaitable<HoldOutcome> hold_best_available(const domain::SeatMap& map,
                                                                  HoldRequest request,
                                                                  domain::CategoryIndex category,
                                                                  std::int64_t quantity) = 0;

  // A live hold (expired or used holds are gone).
  virtual boost::asio::awaitable<std::optional<Hold>> find_hold(std::string hold_id) = 0;
  // Frees a live hold's seats at once; false when there was no such live hold of the user.
  virtual boost::asio::awaitable<bool> release_hold(std::string hold_id, std::string user_id) = 0;

  // Locks a live hold of the user for an order: it will not expire or be replaced while
  // the payment runs. `grace` bounds the lock if the process dies meanwhile.
  virtual boost::asio::awaitable<Checkout> begin_checkout(std::string hold_id, std::string user_id,
                                                          std::chrono::seconds grace) = 0;
  // The payment failed: the hold is live again, with its original expiry.
  virtual boost::asio::awaitable<void> abort_checkout(std::string hold_id) = 0;
  // The order committed: the hold is used up and its seats are sold. Takes the whole
  // hold, so the seats are marked sold even if the hold itself was lost meanwhile.
  virtual boost::asio::awaitable<void> complete_checkout(const domain::SeatMap& map, Hold hold) = 0;

  // Mirrors what the database decided outside a checkout (repairs, refunds).
  virtual boost::asio::awaitable<void> mark_sold(const domain::SeatMap& map, std::string event_id,
                                                 std::vector<domain::SeatIndex> seats) = 0;
  virtual boost::asio::awaitable<void> mark_available(const domain::SeatMap& map,
                                                      std::string event_id,
                                                      std::vector<domain::SeatIndex> seats) = 0;

  virtual boost::asio::awaitable<Availability> availability(const domain::SeatMap& map,
                                                            std::string event_id) = 0;
  virtual boost::asio::awaitable<SeatCounts> counts(const domain::SeatMap& map,
                                                    std::string event_id) = 0;

  // Frees the seats of holds past their expiry; called at least every half second.
  virtual boost::asio::awaitable<void> expire_holds() = 0;
};

}  // namespace boxoffice::store
