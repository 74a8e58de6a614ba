// Turning a hold into an order without ever losing a sale or selling a seat twice:
// the pending order and its idempotency key are committed before the card is charged,
// the tickets after; a crash in between is repaired from the payment provider's ledger.
#pragma once

#include "common/clock.hpp"
#include "http/metrics.hpp"
#include "payments/payment_gateway.hpp"
#include "sales/catalog.hpp"
#include "store/database.hpp"
#include "store/inventory_store.hpp"
#include "tickets/ticket_signer.hpp"

#include <chrono>

namespace boxoffice::sales {

struct PlaceOrder {
  std::string user_id;
  std::string hold_id;
  std::string payment_token;
  std::string idempotency_key;
  // Hash of the request body, so a reused key with another body is told apart.
  std::string request_hash;
};

// The answer as stored for replay: a status and a JSON body.
struct OrderAnswer {
  int status = 0;
  std::string body;
};

struct OrderSettings {
  // How long an order may hold its seats locked while the payment runs.
  std::chrono::seconds checkout_grace{60};
  // How long a duplicate request waits for the first one's answer.
  std::chrono::milliseconds duplicate_wait{10000};
};

class OrderService {
 public:
  OrderService(store::Database& database, store::InventoryStore& inventory, Catalog& catalog,
               payments::PaymentGateway& gateway, const tickets::TicketSigner& signer,
               const Clock& clock, http::Metrics& metrics, OrderSettings settings);

  boost::asio::awaitable<OrderAnswer> place(PlaceOrder request);

  // Resolves orders left pending (by a crash, or a lost payment answer) for longer than
  // `min_age`: confirmed when the provider holds a successful charge, failed otherwise.
  // Returns how many were resolved.
  boost::asio::awaitable<int> repair(std::chrono::milliseconds min_age);

  // Marks in the inventory every seat the database says is sold. A process that died
  // between committing an order and mirroring it leaves those seats held in a shared
  // store that outlives it; this puts them right (run at start and with every repair).
  boost::asio::awaitable<void> reconcile_sold_seats();

  // confirmed → refunded: tickets void, seats available again, the charge refunded.
  boost::asio::awaitable<store::OrderRecord> refund(const std::string& order_id);

 private:
  boost::asio::awaitable<OrderAnswer> replay(const store::IdempotencyRecord& first,
                                             const std::string& request_hash);
  boost::asio::awaitable<OrderAnswer> settle(const store::OrderRecord& order,
                                             const EventEntry& event,
                                             const payments::Charge& charge);
  std::vector<store::TicketRecord> issue_tickets(const store::OrderRecord& order) const;

  store::Database& database_;
  store::InventoryStore& inventory_;
  Catalog& catalog_;
  payments::PaymentGateway& gateway_;
  const tickets::TicketSigner& signer_;
  const Clock& clock_;
  http::Metrics& metrics_;
  OrderSettings settings_;
};

}  // namespace boxoffice::sales
