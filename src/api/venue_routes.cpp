// Admin: venues (sections of numbered seats, general-admission areas).
#include "api/caller.hpp"
#include "api/domain_errors.hpp"
#include "api/json_fields.hpp"
#include "api/routes.hpp"
#include "common/random.hpp"
#include "domain/seat_map.hpp"
#include "http/response.hpp"
#include "sales/venue_json.hpp"

namespace boxoffice::api {
namespace {

using boost::asio::awaitable;

awaitable<http::Response> create_venue(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  require_role(caller, store::Role::admin);
  const auto body = parse_object(request);
  auto name = required_text(body, "name", {.min_chars = 1, .max_chars = 100});
  const auto layout = sales::layout_from_request(body);
  const auto map = value_or_400(domain::build_seat_map(layout));
  store::VenueRecord venue{.id = new_id(),
                           .name = std::move(name),
                           .layout_json = sales::layout_to_json(layout),
                           .capacity = map.capacity(),
                           .created_at = services.clock.now()};
  co_await services.database.catalog().create_venue(venue);
  co_return http::json_response(
      201, boost::json::object{{"venue", boost::json::object{{"id", venue.id},
                                                             {"name", venue.name},
                                                             {"capacity", venue.capacity}}}});
}

// With each venue's categories, so an event form can ask a price for each.
awaitable<http::Response> list_venues(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  require_role(caller, store::Role::admin);
  boost::json::array venues;
  for (const auto& record : co_await services.database.catalog().list_venues()) {
    const auto entry = co_await services.catalog.venue(record.id);
    boost::json::array categories;
    if (entry) {
      for (const auto& category : entry->map.categories()) {
        categories.emplace_back(category.name);
      }
    }
    venues.push_back(boost::json::object{{"id", record.id},
                                         {"name", record.name},
                                         {"capacity", record.capacity},
                                         {"categories", std::move(categories)}});
  }
  co_return http::json_response(200, boost::json::object{{"venues", std::move(venues)}});
}

}  // namespace

void add_venue_routes(http::Router& router, Services& services) {
  router.add(http::beast_http::verb::post, "/api/v1/admin/venues",
             [&services](http::Request& request) { return create_venue(services, request); });
  router.add(http::beast_http::verb::get, "/api/v1/admin/venues",
             [&services](http::Request& request) { return list_venues(services, request); });
}

}  // namespace boxoffice::api
