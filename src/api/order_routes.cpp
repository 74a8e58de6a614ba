// Orders: buying a hold (idempotent by Idempotency-Key), listing and showing orders, and
// refunds by admins.
#include "api/accounts.hpp"
#include "api/caller.hpp"
#include "api/json_fields.hpp"
#include "api/routes.hpp"
#include "http/query.hpp"
#include "http/response.hpp"
#include "sales/sales_json.hpp"
#include "security/token_hash.hpp"

namespace boxoffice::api {
namespace {

using boost::asio::awaitable;
using http::beast_http::verb;

std::string idempotency_key(const http::Request& request) {
  const auto key = request.header("Idempotency-Key");
  const bool printable = std::all_of(key.begin(), key.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
  if (key.empty() || key.size() > 255 || !printable) {
    throw errors::invalid_request("Idempotency-Key must be 1 to 255 printable characters",
                                  "Idempotency-Key");
  }
  return std::string{key};
}

awaitable<http::Response> place_order(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  const auto key = idempotency_key(request);
  const auto body = parse_object(request);
  auto hold_id = required_text(body, "hold_id", {.min_chars = 1, .max_chars = 64});
  const auto* payment = body.if_contains("payment");
  if (payment == nullptr || !payment->is_object()) {
    throw errors::invalid_request("payment must be an object {method, token}", "payment");
  }
  const auto method =
      required_text(payment->as_object(), "method", {.min_chars = 1, .max_chars = 32});
  if (method != "test") {
    throw errors::invalid_request("payment.method must be \"test\"", "payment.method");
  }
  auto token = required_text(payment->as_object(), "token", {.min_chars = 1, .max_chars = 255});
  // "The same body" means the same hold and payment, whatever the JSON spacing.
  auto request_hash = security::hash_token(hold_id + "\n" + method + "\n" + token);

  sales::PlaceOrder order{
      .user_id = caller.user.id,
      .hold_id = std::move(hold_id),
      .payment_token = std::move(token),
      .idempotency_key = key,
      .request_hash = std::move(request_hash),
  };
  const auto answer = co_await services.orders.place(std::move(order));
  co_return http::text_response(static_cast<unsigned>(answer.status), "application/json",
                                answer.body);
}

awaitable<boost::json::object> order_view(Services& services, const store::OrderRecord& order) {
  auto event = co_await services.catalog.event(order.event_id);
  if (!event) {
    throw std::runtime_error("order " + order.id + " refers to a missing event");
  }
  co_return sales::order_json(event->venue->map, order);
}

awaitable<boost::json::array> orders_of(Services& services, std::string user_id) {
  boost::json::array orders;
  for (const auto& order : co_await services.database.orders().list_orders(std::move(user_id))) {
    auto view = co_await order_view(services, order);
    orders.push_back(std::move(view));
  }
  co_return orders;
}

awaitable<http::Response> list_orders(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  auto orders = co_await orders_of(services, caller.user.id);
  co_return http::json_response(200, boost::json::object{{"orders", std::move(orders)}});
}

awaitable<http::Response> show_order(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  auto order = co_await services.database.orders().find_order(request.param("id"));
  const bool visible = order && (order->status == "confirmed" || order->status == "refunded") &&
                       (order->user_id == caller.user.id || caller.user.role == store::Role::admin);
  if (!visible) {
    throw errors::not_found();
  }
  auto view = co_await order_view(services, *order);
  co_return http::json_response(200, boost::json::object{{"order", std::move(view)}});
}

// An organizer helping a fan finds the fan's orders by the email they signed up with.
awaitable<http::Response> orders_of_customer(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  require_role(caller, store::Role::admin);
  const auto email = http::query_value(request.query, "email");
  if (!email || email->empty() || email->size() > 254) {
    throw errors::invalid_request("email must name the customer", "email");
  }
  boost::json::array orders;
  const auto customer = co_await services.database.users().find_by_email(normalize_email(*email));
  if (customer) {
    orders = co_await orders_of(services, customer->id);
  }
  co_return http::json_response(200, boost::json::object{{"orders", std::move(orders)}});
}

awaitable<http::Response> refund_order(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  require_role(caller, store::Role::admin);
  const auto order = co_await services.orders.refund(request.param("id"));
  auto view = co_await order_view(services, order);
  co_return http::json_response(200, boost::json::object{{"order", std::move(view)}});
}

}  // namespace

void add_order_routes(http::Router& router, Services& services) {
  router.add(verb::post, "/api/v1/orders",
             [&services](http::Request& request) { return place_order(services, request); });
  router.add(verb::get, "/api/v1/orders",
             [&services](http::Request& request) { return list_orders(services, request); });
  router.add(verb::get, "/api/v1/admin/orders",
             [&services](http::Request& request) { return orders_of_customer(services, request); });
  router.add(verb::get, "/api/v1/orders/{id}",
             [&services](http::Request& request) { return show_order(services, request); });
  router.add(verb::post, "/api/v1/admin/orders/{id}/refund",
             [&services](http::Request& request) { return refund_order(services, request); });
}

}  // namespace boxoffice::api
