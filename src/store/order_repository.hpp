// Orders, tickets and idempotency records in the database of record. This is where "no
// seat is ever sold twice" is enforced: at most one live ticket per (event, seat).
#pragma once

#include "store/sales_records.hpp"

#include <boost/asio/awaitable.hpp>

#include <variant>

namespace boxoffice::store {

struct OrderStarted {};
struct OrderExists {
  IdempotencyRecord record;
};
using BeginOrderResult = std::variant<OrderStarted, OrderExists>;

enum class ConfirmResult {
  confirmed,
  // Another live ticket holds one of the seats: nothing was written.
  seat_taken,
  // The order was no longer pending (resolved by someone else): nothing was written.
  not_pending,
};

enum class CheckInResult { admitted, already_checked_in, void_ticket, not_found };

struct CheckIn {
  CheckInResult result = CheckInResult::not_found;
  std::optional<TicketRecord> ticket;
};

class OrderRepository {
 public:
  virtual ~OrderRepository() = default;

  virtual boost::asio::awaitable<std::optional<IdempotencyRecord>> find_idempotency(
      std::string user_id, std::string key) = 0;

  // Records the idempotency key and the pending order in one transaction, or reports the
  // record that a request with the same key made first.
  virtual boost::asio::awaitable<BeginOrderResult> begin_order(IdempotencyRecord idempotency,
                                                               OrderRecord order) = 0;

  // pending → confirmed with its tickets and the stored answer, in one transaction.
  virtual boost::asio::awaitable<ConfirmResult> confirm_order(std::string order_id,
                                                              std::vector<TicketRecord> tickets,
                                                              int status_code,
                                                              std::string response_body) = 0;

  // pending → failed with the stored answer. False when it was no longer pending.
  virtual boost::asio::awaitable<bool> fail_order(std::string order_id, int status_code,
                                                  std::string response_body) = 0;

  virtual boost::asio::awaitable<std::optional<OrderRecord>> find_order(std::string id) = 0;
  // The user's confirmed and refunded orders, newest first.
  virtual boost::asio::awaitable<std::vector<OrderRecord>> list_orders(std::string user_id) = 0;
  // Orders still pending that were created before `created_before`, oldest first.
  virtual boost::asio::awaitable<std::vector<OrderRecord>> pending_orders(TimePoint created_before,
                                                                          int limit) = 0;

  // confirmed → refunded, its tickets void. False when it was not confirmed.
  virtual boost::asio::awaitable<bool> refund_order(std::string order_id) = 0;

  // Seat ids with a live (valid or checked-in) ticket: the sold seats of an event.
  virtual boost::asio::awaitable<std::vector<std::string>> sold_seats(std::string event_id) = 0;
  virtual boost::asio::awaitable<SalesTotals> sales_totals(std::string event_id) = 0;

  virtual boost::asio::awaitable<std::optional<TicketRecord>> find_ticket(std::string id) = 0;
  virtual boost::asio::awaitable<CheckIn> check_in(std::string ticket_id, TimePoint now) = 0;
};

}  // namespace boxoffice::store
