#include "sales/order_service.hpp"

#include "common/api_error.hpp"
#include "common/random.hpp"
#include "sales/sales_json.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

namespace boxoffice::sales {
namespace {

OrderAnswer error_answer(const ApiError& error) {
  return {error.status(), boost::json::serialize(error.to_json())};
}

ApiError hold_expired() {
  return errors::conflict("hold_expired", "the hold is unknown, expired or already used");
}

std::vector<domain::SeatIndex> seat_indexes(const domain::SeatMap& map,
                                            const std::vector<std::string>& seat_ids) {
  std::vector<domain::SeatIndex> indexes;
  for (const auto& id : seat_ids) {
    if (auto index = map.find(id)) {
      indexes.push_back(*index);
    }
  }
  return indexes;
}

}  // namespace

OrderService::OrderService(store::Database& database, store::InventoryStore& inventory,
                           Catalog& catalog, payments::PaymentGateway& gateway,
                           const tickets::TicketSigner& signer, const Clock& clock,
                           http::Metrics& metrics, OrderSettings settings)
    : database_(database),
      inventory_(inventory),
      catalog_(catalog),
      gateway_(gateway),
      signer_(signer),
      clock_(clock),
      metrics_(metrics),
      settings_(settings) {}

boost::asio::awaitable<OrderAnswer> OrderService::replay(const store::IdempotencyRecord& first,
                                                         const std::string& request_hash) {
  if (first.request_hash != request_hash) {
    co_return error_answer(errors::conflict(
        "idempotency_key_reused", "this Idempotency-Key was used with a different request"));
  }
  auto record = first;
  // The first request is still being served: wait for its answer, polling with a bound.
  boost::asio::steady_timer timer{co_await boost::asio::this_coro::executor};
  const auto deadline = std::chrono::steady_clock::now() + settings_.duplicate_wait;
  while (!record.done && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds{25});
    co_await timer.async_wait(boost::asio::use_awaitable);
    auto fresh = co_await database_.orders().find_idempotency(record.user_id, record.key);
    if (fresh) {
      record = std::move(*fresh);
    }
  }
  if (!record.done) {
    throw errors::unavailable("the first request with this Idempotency-Key is still in progress",
                              2);
  }
  co_return OrderAnswer{record.status_code, record.response_body};
}

std::vector<store::TicketRecord> OrderService::issue_tickets(
    const store::OrderRecord& order) const {
  std::vector<store::TicketRecord> tickets;
  for (const auto& seat_id : order.seat_ids) {
    store::TicketRecord ticket{
        .id = new_id(),
        .order_id = order.id,
        .event_id = order.event_id,
        .user_id = order.user_id,
        .seat_id = seat_id,
        .code = {},
        .status = "valid",
        .checked_in_at = std::nullopt,
    };
    ticket.code = signer_.sign({ticket.id, ticket.event_id, ticket.seat_id});
    tickets.push_back(std::move(ticket));
  }
  return tickets;
}

boost::asio::awaitable<OrderAnswer> OrderService::settle(const store::OrderRecord& order,
                                                         const EventEntry& event,
                                                         const payments::Charge& charge) {
  auto& orders = database_.orders();
  const auto& map = event.venue->map;
  if (charge.status != payments::ChargeStatus::succeeded) {
    auto answer = error_answer(
        ApiError{402, "payment_declined", "the payment was declined: " + charge.decline_reason});
    if (co_await orders.fail_order(order.id, answer.status, answer.body)) {
      co_return answer;
    }
    auto stored = co_await orders.find_idempotency(order.user_id, order.idempotency_key);
    co_return OrderAnswer{stored->status_code, stored->response_body};
  }

  auto confirmed = order;
  confirmed.status = "confirmed";
  confirmed.tickets = issue_tickets(order);
  OrderAnswer answer{
      201, boost::json::serialize(boost::json::object{{"order", order_json(map, confirmed)}})};
  const auto result =
      co_await orders.confirm_order(order.id, confirmed.tickets, answer.status, answer.body);
  if (result == store::ConfirmResult::confirmed) {
    metrics_.increment("boxoffice_orders_confirmed_total");
    metrics_.increment("boxoffice_seats_sold_total", static_cast<double>(order.seat_ids.size()));
    co_return answer;
  }
  if (result == store::ConfirmResult::seat_taken) {
    // The inventory offered a seat the database had already sold: the database wins,
    // the customer is refunded, and the mirror learns what is really sold.
    metrics_.increment("boxoffice_orders_seat_conflicts_total");
    co_await gateway_.refund(order.id);
    auto conflict = error_answer(
        errors::conflict("seats_unavailable", "a seat of this hold was sold meanwhile"));
    co_await orders.fail_order(order.id, conflict.status, conflict.body);
    const auto sold = co_await orders.sold_seats(order.event_id);
    co_await inventory_.mark_sold(map, order.event_id, seat_indexes(map, sold));
    co_return conflict;
  }
  // Resolved elsewhere (the repair sweep) while the payment ran: its answer stands, and
  // a charge it did not account for is given back.
  auto stored = co_await orders.find_idempotency(order.user_id, order.idempotency_key);
  if (stored->status_code != 201) {
    co_await gateway_.refund(order.id);
  }
  co_return OrderAnswer{stored->status_code, stored->response_body};
}

boost::asio::awaitable<OrderAnswer> OrderService::place(PlaceOrder request) {
  auto& orders = database_.orders();
  // No read of the key first: a repeated request either finds its hold used up (and its
  // answer below) or finds the key taken when it claims it (begin_order), so a first read
  // would only cost every order one more round trip to the database.
  auto found = co_await inventory_.find_hold(request.hold_id);
  if (!found || found->user_id != request.user_id) {
    // A repeat of a request that used this hold finds its answer, not the gap.
    if (auto first = co_await orders.find_idempotency(request.user_id, request.idempotency_key)) {
      co_return co_await replay(*first, request.request_hash);
    }
    throw hold_expired();
  }
  const auto& hold = *found;
  auto event = co_await catalog_.event(hold.event_id);
  if (!event) {
    throw hold_expired();
  }
  const auto& map = event->venue->map;
  auto total = domain::total_price(map, event->prices, hold.seats);
  if (!total) {
    throw std::runtime_error("the price of a hold overflowed");
  }

  store::OrderRecord order{
      .id = new_id(),
      .user_id = request.user_id,
      .event_id = hold.event_id,
      .hold_id = hold.id,
      .status = "pending",
      .total = *total,
      .currency = event->record.currency,
      .seat_ids = {},
      .idempotency_key = request.idempotency_key,
      .created_at = clock_.now(),
      .tickets = {},
  };
  for (auto index : hold.seats) {
    order.seat_ids.emplace_back(map.seat(index).id);
  }
  store::IdempotencyRecord idempotency{
      .user_id = request.user_id,
      .key = request.idempotency_key,
      .request_hash = request.request_hash,
      .order_id = order.id,
      .done = false,
      .status_code = 0,
      .response_body = {},
  };
  // The key is claimed before the hold is locked, so concurrent duplicates all wait for
  // the one that claimed it and answer exactly as it does.
  auto begun = co_await orders.begin_order(idempotency, order);
  if (auto* exists = std::get_if<store::OrderExists>(&begun)) {
    co_return co_await replay(exists->record, request.request_hash);
  }
  auto checkout =
      co_await inventory_.begin_checkout(hold.id, request.user_id, settings_.checkout_grace);
  if (checkout.result != store::CheckoutStart::started) {
    auto answer = error_answer(hold_expired());
    co_await orders.fail_order(order.id, answer.status, answer.body);
    co_return answer;
  }

  payments::ChargeRequest charge_request{.key = order.id,
                                         .token = request.payment_token,
                                         .amount = order.total,
                                         .currency = order.currency};
  payments::Charge charge;
  try {
    charge = co_await gateway_.charge(std::move(charge_request));
  } catch (const payments::GatewayUnavailable&) {
    // Whether the card was charged is unknown: the order stays pending for the repair
    // sweep, which asks the provider; a retry with the same key gets that outcome.
    metrics_.increment("boxoffice_payment_errors_total");
    throw errors::unavailable("the payment provider did not answer; retry with the same key", 2);
  }

  auto answer = co_await settle(order, *event, charge);
  if (answer.status == 201) {
    // The catalog stays: an event's status shown as sold out is derived from the live
    // counts when it is rendered, so a sale changes nothing cached.
    co_await inventory_.complete_checkout(map, hold);
  } else {
    // Declined: "the hold stays as it was".
    co_await inventory_.abort_checkout(hold.id);
  }
  co_return answer;
}

boost::asio::awaitable<int> OrderService::repair(std::chrono::milliseconds min_age) {
  auto& orders = database_.orders();
  constexpr int batch = 100;
  const auto pending = co_await orders.pending_orders(clock_.now() - min_age, batch);
  int resolved = 0;
  for (const auto& order : pending) {
    auto event = co_await catalog_.event(order.event_id);
    if (!event) {
      continue;
    }
    std::optional<payments::Charge> charge;
    try {
      charge = co_await gateway_.find(order.id);
    } catch (const payments::GatewayUnavailable&) {
      break;
    }
    const auto& map = event->venue->map;
    // The hold may still be locked for this order in a shared store that outlived the
    // process which locked it: release the lock along with the order.
    store::Hold hold{.id = order.hold_id,
                     .event_id = order.event_id,
                     .user_id = order.user_id,
                     .seats = seat_indexes(map, order.seat_ids),
                     .expires_at = {},
                     .checking_out = true};
    if (charge && charge->status == payments::ChargeStatus::succeeded) {
      const auto answer = co_await settle(order, *event, *charge);
      if (answer.status == 201) {
        co_await inventory_.complete_checkout(map, std::move(hold));
      } else {
        co_await inventory_.abort_checkout(hold.id);
      }
    } else {
      // No charge happened; a late one is refunded by the request that made it (settle).
      auto answer = error_answer(errors::conflict(
          "hold_expired", "the order could not be completed in time; hold the seats again"));
      co_await orders.fail_order(order.id, answer.status, answer.body);
      co_await inventory_.abort_checkout(hold.id);
    }
    metrics_.increment("boxoffice_orders_repaired_total");
    ++resolved;
  }
  co_return resolved;
}

boost::asio::awaitable<void> OrderService::reconcile_sold_seats() {
  for (const auto& event : co_await catalog_.events()) {
    if (!domain::is_listed(event->stored_status)) {
      continue;
    }
    const auto& map = event->venue->map;
    const auto sold = co_await database_.orders().sold_seats(event->record.id);
    co_await inventory_.mark_sold(map, event->record.id, seat_indexes(map, sold));
  }
}

boost::asio::awaitable<store::OrderRecord> OrderService::refund(const std::string& order_id) {
  auto& orders = database_.orders();
  auto order = co_await orders.find_order(order_id);
  if (!order || (order->status != "confirmed" && order->status != "refunded")) {
    throw errors::not_found();
  }
  if (order->status == "confirmed" && co_await orders.refund_order(order_id)) {
    co_await gateway_.refund(order_id);
    if (auto event = co_await catalog_.event(order->event_id)) {
      const auto& map = event->venue->map;
      co_await inventory_.mark_available(map, order->event_id, seat_indexes(map, order->seat_ids));
    }
    catalog_.invalidate_event(order->event_id);
    metrics_.increment("boxoffice_orders_refunded_total");
  }
  co_return *co_await orders.find_order(order_id);
}

}  // namespace boxoffice::sales
