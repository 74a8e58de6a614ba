// Events: the admin side (create, change status, sales figures, poster) and the public
// catalog (list, one event, its seat map).
#include "api/caller.hpp"
#include "api/domain_errors.hpp"
#include "api/json_fields.hpp"
#include "api/routes.hpp"
#include "common/random.hpp"
#include "common/time_format.hpp"
#include "domain/event_limits.hpp"
#include "http/query.hpp"
#include "http/response.hpp"
#include "sales/sales_json.hpp"

#include <boost/json/serialize.hpp>

namespace boxoffice::api {
namespace {

using boost::asio::awaitable;
using http::beast_http::verb;

// Catalog reads may be cached briefly by an edge; a second is fresh enough for a list.
constexpr std::string_view catalog_cache = "public, max-age=1";

TimePoint required_time(const boost::json::object& body, std::string_view field) {
  const auto text = required_text(body, field, {.min_chars = 1, .max_chars = 64});
  auto parsed = parse_rfc3339(text);
  if (!parsed) {
    throw errors::invalid_request(std::string{field} + " must be an RFC 3339 time",
                                  std::string{field});
  }
  return *parsed;
}

awaitable<std::shared_ptr<const sales::EventEntry>> existing_event(Services& services,
                                                                   const std::string& id) {
  auto event = co_await services.catalog.event(id);
  if (!event) {
    throw errors::not_found();
  }
  co_return event;
}

awaitable<http::Response> create_event(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  require_role(caller, store::Role::admin);
  const auto body = parse_object(request);
  const auto venue_id = required_text(body, "venue_id", {.min_chars = 1, .max_chars = 64});
  auto venue = co_await services.catalog.venue(venue_id);
  if (!venue) {
    throw errors::invalid_request("no venue has this id", "venue_id");
  }
  auto title = required_text(body, "title", {.min_chars = 1, .max_chars = 200});
  auto artist = optional_text(body, "artist", {.min_chars = 0, .max_chars = 200}).value_or("");
  const auto starts_at = required_time(body, "starts_at");
  const auto now = services.clock.now();
  auto sale_starts_at = body.contains("sale_starts_at") && !body.at("sale_starts_at").is_null()
                            ? required_time(body, "sale_starts_at")
                            : now;
  if (sale_starts_at > starts_at) {
    throw errors::invalid_request("the sale must start before the event", "sale_starts_at");
  }
  auto currency = value_or_400(
      domain::validate_currency(required_text(body, "currency", {.min_chars = 1, .max_chars = 3})));

  const auto* prices_value = body.if_contains("prices");
  if (prices_value == nullptr || !prices_value->is_object()) {
    throw errors::invalid_request("prices must be an object of category: amount", "prices");
  }
  std::vector<domain::PriceEntry> prices;
  for (const auto& [category, amount] : prices_value->as_object()) {
    const auto field = "prices." + std::string{category};
    if (!amount.is_int64()) {
      throw errors::invalid_request(field + " must be an integer in minor units", field);
    }
    prices.push_back({std::string{category}, amount.as_int64()});
  }
  (void)value_or_400(domain::make_price_list(venue->map, prices));

  const auto max_tickets = value_or_400(domain::validate_max_tickets_per_order(
      optional_integer(body, "max_tickets_per_order", INT32_MIN, INT32_MAX)
          .value_or(domain::max_tickets_per_order_default)));
  const auto hold_seconds = value_or_400(
      domain::validate_hold_seconds(optional_integer(body, "hold_seconds", INT32_MIN, INT32_MAX)
                                        .value_or(domain::hold_seconds_default)));

  store::EventRecord event{
      .id = new_id(),
      .venue_id = venue_id,
      .title = std::move(title),
      .artist = std::move(artist),
      .starts_at = starts_at,
      .sale_starts_at = sale_starts_at,
      .status = std::string{domain::to_string(domain::EventStatus::scheduled)},
      .currency = std::move(currency),
      .prices_json = boost::json::serialize(prices_value->as_object()),
      .max_tickets_per_order = max_tickets,
      .hold_seconds = hold_seconds,
      .poster_json = std::nullopt,
      .created_at = now,
  };
  co_await services.database.catalog().create_event(event);
  services.catalog.invalidate_event(event.id);
  auto entry = co_await existing_event(services, event.id);
  const auto counts = co_await services.inventory.counts(entry->venue->map, event.id);
  co_return http::json_response(201,
                                boost::json::object{{"event", sales::event_json(*entry, counts)}});
}

awaitable<http::Response> change_status(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  require_role(caller, store::Role::admin);
  const auto body = parse_object(request);
  const auto requested = value_or_400(
      domain::parse_admin_status(required_text(body, "status", {.min_chars = 1, .max_chars = 32})));
  const auto& id = request.param("id");
  // Bounded retry: a concurrent change between read and conditional write is re-checked.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto current = co_await services.database.catalog().find_event(id);
    if (!current) {
      throw errors::not_found();
    }
    const auto stored =
        domain::parse_event_status(current->status).value_or(domain::EventStatus::scheduled);
    auto next = domain::admin_set_status(stored, requested);
    if (!next) {
      throw errors::conflict("invalid_status_change", next.error().message());
    }
    if (*next == stored || co_await services.database.catalog().update_event_status(
                               id, current->status, std::string{domain::to_string(*next)})) {
      services.catalog.invalidate_event(id);
      auto entry = co_await existing_event(services, id);
      const auto counts = co_await services.inventory.counts(entry->venue->map, id);
      co_return http::json_response(
          200, boost::json::object{{"event", sales::event_json(*entry, counts)}});
    }
  }
  throw errors::conflict("invalid_status_change", "the event changed meanwhile; try again");
}

awaitable<http::Response> sales_figures(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  require_role(caller, store::Role::admin);
  const auto& id = request.param("id");
  auto event = co_await existing_event(services, id);
  const auto counts = co_await services.inventory.counts(event->venue->map, id);
  const auto totals = co_await services.database.orders().sales_totals(id);
  co_return http::json_response(200, boost::json::object{
                                         {"capacity", event->venue->map.capacity()},
                                         {"sold", counts.sold},
                                         {"held", counts.held},
                                         {"available", counts.available},
                                         {"orders", totals.orders},
                                         {"revenue", totals.revenue},
                                         {"currency", event->record.currency},
                                     });
}

// Soonest first; the public list leaves out what is not listed (cancelled events). The
// public list and page are what a crowd refreshes: each event's JSON comes rendered
// (sales::event_json_text) and is only joined here.
awaitable<http::Response> events_answer(Services& services, bool listed_only) {
  std::string body = R"({"events":[)";
  bool first = true;
  for (const auto& entry : co_await services.catalog.events()) {
    if (listed_only && !domain::is_listed(entry->stored_status)) {
      continue;
    }
    const auto counts = co_await services.inventory.counts(entry->venue->map, entry->record.id);
    if (!first) {
      body += ',';
    }
    first = false;
    body += *sales::event_json_text(*entry, counts);
  }
  body += "]}";
  co_return http::text_response(200, "application/json", std::move(body));
}

awaitable<http::Response> list_events(Services& services) {
  auto response = co_await events_answer(services, true);
  response.set(http::beast_http::field::cache_control, catalog_cache);
  co_return response;
}

awaitable<http::Response> show_event(Services& services, http::Request& request) {
  const auto& id = request.param("id");
  auto event = co_await existing_event(services, id);
  const auto counts = co_await services.inventory.counts(event->venue->map, id);
  std::string body = R"({"event":)";
  body += *sales::event_json_text(*event, counts);
  body += '}';
  auto response = http::text_response(200, "application/json", std::move(body));
  response.set(http::beast_http::field::cache_control, catalog_cache);
  co_return response;
}

awaitable<http::Response> seat_map(Services& services, http::Request& request) {
  const auto& id = request.param("id");
  auto event = co_await existing_event(services, id);
  const auto availability = co_await services.inventory.availability(event->venue->map, id);
  const auto& prefixes = event->venue->seat_json_prefixes;
  std::string body;
  body.reserve(prefixes.size() * 96 + 16);
  body += R"({"seats":[)";
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    if (i > 0) {
      body += ',';
    }
    body += prefixes[i];
    switch (availability.seats[i]) {
      case store::SeatStatus::available:
        body += R"(available"})";
        break;
      case store::SeatStatus::held:
        body += R"(held"})";
        break;
      case store::SeatStatus::sold:
        body += R"(sold"})";
        break;
    }
  }
  body += "]}";
  auto response = http::text_response(200, "application/json", std::move(body));
  response.set(http::beast_http::field::cache_control, catalog_cache);
  co_return response;
}

boost::json::object counts_json(const store::SeatCounts& counts) {
  return {{"available", counts.available}, {"held", counts.held}, {"sold", counts.sold}};
}

// The statuses of every seat as one letter each, or only the seats that changed since the
// version the client holds, so a stadium's map refreshes with a few bytes.
awaitable<http::Response> seat_availability(Services& services, http::Request& request) {
  const auto& id = request.param("id");
  const auto since = http::query_value(request.query, "since");
  if (since && since->size() > 64) {
    throw errors::invalid_request("since must be a version from an earlier answer", "since");
  }
  auto event = co_await existing_event(services, id);
  auto current = services.availability_history.fresh(id);
  if (!current) {
    const auto read_started = services.clock.now();
    const auto read = co_await services.inventory.availability(event->venue->map, id);
    current = services.availability_history.record(id, read, read_started);
  }
  const auto base = since ? services.availability_history.find(id, *since) : nullptr;
  const auto render = [&current, &base]() {
    boost::json::object body{{"version", current->version},
                             {"counts", counts_json(current->counts)}};
    const auto changes =
        base ? sales::changes_between(base->statuses, current->statuses) : std::nullopt;
    // Past a quarter of the seats, a change list ([index,"h"] ≈ 10 bytes a seat) outweighs
    // the one-letter-a-seat form.
    if (changes && changes->size() <= current->statuses.size() / 4) {
      boost::json::array list;
      list.reserve(changes->size());
      for (const auto& change : *changes) {
        list.push_back(
            boost::json::array{change.index, boost::json::string(std::string(1, change.status))});
      }
      body["since"] = base->version;
      body["changes"] = std::move(list);
    } else {
      body["statuses"] = current->statuses;
    }
    return boost::json::serialize(body);
  };
  const auto answer = current->answers->get_or_render(base ? base->version : "", render);
  auto response = http::text_response(200, "application/json", *answer);
  response.set(http::beast_http::field::cache_control, catalog_cache);
  co_return response;
}

awaitable<http::Response> list_all_events(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  require_role(caller, store::Role::admin);
  co_return co_await events_answer(services, false);
}

}  // namespace

void add_event_routes(http::Router& router, Services& services) {
  router.add(verb::post, "/api/v1/admin/events",
             [&services](http::Request& request) { return create_event(services, request); });
  router.add(verb::patch, "/api/v1/admin/events/{id}",
             [&services](http::Request& request) { return change_status(services, request); });
  router.add(verb::get, "/api/v1/admin/events/{id}/sales",
             [&services](http::Request& request) { return sales_figures(services, request); });
  router.add(verb::get, "/api/v1/admin/events",
             [&services](http::Request& request) { return list_all_events(services, request); });
  router.add(verb::get, "/api/v1/events/{id}/availability",
             [&services](http::Request& request) { return seat_availability(services, request); });
  router.add(verb::get, "/api/v1/events",
             [&services](http::Request&) { return list_events(services); });
  router.add(verb::get, "/api/v1/events/{id}",
             [&services](http::Request& request) { return show_event(services, request); });
  router.add(verb::get, "/api/v1/events/{id}/seats",
             [&services](http::Request& request) { return seat_map(services, request); });
}

}  // namespace boxoffice::api
