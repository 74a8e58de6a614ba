// Posters: the admin upload, and the variant files themselves, served the way a CDN wants
// them (immutable, validated by ETag) so that an edge cache keeps them for a year.
#include "api/caller.hpp"
#include "api/routes.hpp"
#include "common/api_error.hpp"
#include "http/etag.hpp"
#include "http/response.hpp"
#include "sales/sales_json.hpp"

namespace boxoffice::api {
namespace {

using boost::asio::awaitable;
using http::beast_http::field;
using http::beast_http::verb;

// A variant's name is the hash of its bytes: its content can never change.
constexpr std::string_view immutable_cache = "public, max-age=31536000, immutable";

awaitable<http::Response> upload_poster(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  require_role(caller, store::Role::admin);
  const auto& id = request.param("id");
  bool replaced = false;
  try {
    replaced = co_await services.posters.replace(id, std::move(request.message.body()));
  } catch (const posters::InvalidImage& error) {
    throw ApiError{400, "invalid_image", error.what()};
  } catch (const posters::ImageWorkersBusy&) {
    throw ApiError{503, "overloaded", "every image worker is busy; try again shortly"}
        .with_retry_after(2);
  }
  if (!replaced) {
    throw errors::not_found();
  }
  services.catalog.invalidate_event(id);
  auto event = co_await services.catalog.event(id);
  if (!event) {
    throw errors::not_found();
  }
  const auto counts = co_await services.inventory.counts(event->venue->map, id);
  co_return http::json_response(200,
                                boost::json::object{{"event", sales::event_json(*event, counts)}});
}

awaitable<http::Response> poster_file(Services& services, http::Request& request) {
  const auto& name = request.param("name");
  auto object = co_await services.posters.read(name);
  if (!object) {
    throw errors::not_found();
  }
  const auto etag = "\"" + name.substr(0, name.find('.')) + "\"";
  http::Response response;
  if (http::etag_matches(request.header(field::if_none_match), etag)) {
    response = http::empty_response(304);
  } else {
    response = http::text_response(200, object->content_type, std::move(object->bytes));
  }
  response.set(field::etag, etag);
  response.set(field::cache_control, immutable_cache);
  co_return response;
}

}  // namespace

void add_poster_routes(http::Router& router, Services& services) {
  router.add(
      verb::put, "/api/v1/admin/events/{id}/poster",
      [&services](http::Request& request) { return upload_poster(services, request); },
      http::BodyKind::image);
  router.add(verb::get, "/posters/{name}",
             [&services](http::Request& request) { return poster_file(services, request); });
  router.add(verb::head, "/posters/{name}",
             [&services](http::Request& request) { return poster_file(services, request); });
}

}  // namespace boxoffice::api
