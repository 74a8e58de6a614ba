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

}  // namespace

void add_venue_routes(http::Router& router, Services& services) {
  router.add(http::beast_http::verb::post, "/api/v1/admin/venues",
             [&services](http::Request& request) { return create_venue(services, request); });
}

}  // namespace boxoffice::api
