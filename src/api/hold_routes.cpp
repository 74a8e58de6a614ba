// Holds: reserving seats for one user for the event's hold time, all or nothing.
#include "api/caller.hpp"
#include "api/json_fields.hpp"
#include "api/routes.hpp"
#include "common/random.hpp"
#include "domain/event_limits.hpp"
#include "http/response.hpp"
#include "sales/sales_json.hpp"
#include "store/hold_id.hpp"

#include <set>

namespace boxoffice::api {
namespace {

using boost::asio::awaitable;
using http::beast_http::verb;

ApiError too_many_seats(int max) {
  return ApiError{400, "too_many_seats",
                  "at most " + std::to_string(max) + " seats may be held in one order", "seats"};
}

std::vector<domain::SeatIndex> requested_seats(const sales::EventEntry& event,
                                               const boost::json::value& value) {
  if (!value.is_array() || value.as_array().empty()) {
    throw errors::invalid_request("seats must be a non-empty array of seat ids", "seats");
  }
  const auto& array = value.as_array();
  if (array.size() > static_cast<std::size_t>(event.record.max_tickets_per_order)) {
    throw too_many_seats(event.record.max_tickets_per_order);
  }
  std::vector<domain::SeatIndex> seats;
  std::set<domain::SeatIndex> unique;
  for (const auto& item : array) {
    if (!item.is_string()) {
      throw errors::invalid_request("seats must be seat ids (strings)", "seats");
    }
    auto index = event.venue->map.find(item.as_string());
    if (!index) {
      throw errors::invalid_request("unknown seat id: " + std::string{item.as_string()}, "seats");
    }
    if (!unique.insert(*index).second) {
      throw errors::invalid_request("a seat is listed twice", "seats");
    }
    seats.push_back(*index);
  }
  return seats;
}

bool sale_open(const sales::EventEntry& event, TimePoint now) {
  return domain::is_sale_open(event.stored_status == domain::EventStatus::sold_out
                                  ? domain::EventStatus::on_sale
                                  : event.stored_status,
                              event.record.sale_starts_at, now);
}

awaitable<http::Response> create_hold(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  const auto body = parse_object(request);
  const auto& event_id = request.param("id");
  auto event = co_await services.catalog.event(event_id);
  if (!event) {
    throw errors::not_found();
  }
  const auto now = services.clock.now();
  if (!sale_open(*event, now)) {
    // Another instance may have opened the sale a moment ago, within this one's catalog
    // cache lifetime: a refusal is worth one fresh read, so opening a sale takes effect
    // at once on every instance. (Only refusals pay for it.)
    services.catalog.invalidate_event(event_id);
    event = co_await services.catalog.event(event_id);
    if (!event || !sale_open(*event, now)) {
      throw ApiError{403, "sale_not_open", "tickets for this event are not on sale now"};
    }
  }
  const auto& map = event->venue->map;

  const auto* seats_value = body.if_contains("seats");
  const bool by_seats = seats_value != nullptr && !seats_value->is_null();
  const bool by_category = body.contains("category") || body.contains("quantity");
  if (by_seats == by_category) {
    throw errors::invalid_request("send either seats, or category and quantity", "seats");
  }
  store::HoldRequest hold_request{
      .event_id = event_id,
      .user_id = caller.user.id,
      .hold_id = store::new_hold_id(event_id),
      .expires_at = now + std::chrono::seconds{event->record.hold_seconds},
  };
  store::HoldOutcome outcome;
  if (by_seats) {
    auto seats = requested_seats(*event, *seats_value);
    outcome =
        co_await services.inventory.hold_seats(map, std::move(hold_request), std::move(seats));
  } else {
    const auto category = required_text(body, "category", {.min_chars = 1, .max_chars = 50});
    const auto category_index = map.find_category(category);
    if (!category_index) {
      throw errors::invalid_request("this venue has no such category", "category");
    }
    const auto quantity = optional_integer(body, "quantity", 1, 1'000'000);
    if (!quantity) {
      throw errors::invalid_request("quantity is required", "quantity");
    }
    if (*quantity > event->record.max_tickets_per_order) {
      throw too_many_seats(event->record.max_tickets_per_order);
    }
    outcome = co_await services.inventory.hold_best_available(map, std::move(hold_request),
                                                              *category_index, *quantity);
  }

  if (!outcome.hold) {
    services.metrics.increment("boxoffice_holds_refused_total");
    if (by_seats) {
      boost::json::array unavailable;
      for (auto index : outcome.unavailable) {
        unavailable.emplace_back(map.seat(index).id);
      }
      throw errors::conflict("seats_unavailable", "some of these seats are not available")
          .with_extra("unavailable", std::move(unavailable));
    }
    throw errors::conflict("sold_out", "not enough seats of this category are left");
  }
  services.metrics.increment("boxoffice_holds_total");
  co_return http::json_response(
      201, boost::json::object{{"hold", sales::hold_json(*event, *outcome.hold)}});
}

awaitable<std::optional<std::pair<store::Hold, std::shared_ptr<const sales::EventEntry>>>> own_hold(
    Services& services, const Caller& caller, const std::string& hold_id) {
  auto hold = co_await services.inventory.find_hold(hold_id);
  if (!hold || hold->user_id != caller.user.id) {
    co_return std::nullopt;
  }
  auto event = co_await services.catalog.event(hold->event_id);
  if (!event) {
    co_return std::nullopt;
  }
  co_return std::make_pair(std::move(*hold), std::move(event));
}

awaitable<http::Response> show_hold(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  auto found = co_await own_hold(services, caller, request.param("id"));
  if (!found) {
    throw errors::not_found();
  }
  co_return http::json_response(
      200, boost::json::object{{"hold", sales::hold_json(*found->second, found->first)}});
}

awaitable<http::Response> release_hold(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  if (!co_await services.inventory.release_hold(request.param("id"), caller.user.id)) {
    throw errors::not_found();
  }
  co_return http::empty_response(204);
}

}  // namespace

void add_hold_routes(http::Router& router, Services& services) {
  router.add(verb::post, "/api/v1/events/{id}/holds",
             [&services](http::Request& request) { return create_hold(services, request); });
  router.add(verb::get, "/api/v1/holds/{id}",
             [&services](http::Request& request) { return show_hold(services, request); });
  router.add(verb::delete_, "/api/v1/holds/{id}",
             [&services](http::Request& request) { return release_hold(services, request); });
}

}  // namespace boxoffice::api
