// The web front end: its built files, and index.html for the single-page app's pages, so
// that a deep link such as /events/ID loads the app, which then routes itself.
#include "api/routes.hpp"
#include "common/api_error.hpp"
#include "http/etag.hpp"
#include "http/response.hpp"
#include "web/page_security.hpp"

#include <algorithm>
#include <array>

namespace boxoffice::api {
namespace {

using boost::asio::awaitable;
using http::beast_http::field;

constexpr std::string_view immutable_cache = "public, max-age=31536000, immutable";
// index.html names the current hashed bundles: always revalidated, so a new release is
// picked up on the next load.
constexpr std::string_view revalidate_cache = "no-cache";
constexpr std::string_view short_cache = "public, max-age=3600";

// The app's own pages (web/src/app/App.tsx). Every other unknown path stays the API
// contract's JSON 404, so a typo in an API URL is never answered with a page.
bool app_page(std::string_view path) {
  static constexpr std::array<std::string_view, 6> pages{"/",       "/tickets", "/login",
                                                         "/signup", "/checkin", "/admin"};
  static constexpr std::array<std::string_view, 3> page_families{"/events/", "/orders/", "/admin/"};
  if (std::find(pages.begin(), pages.end(), path) != pages.end()) {
    return true;
  }
  return std::any_of(page_families.begin(), page_families.end(), [&](std::string_view family) {
    return path.size() > family.size() && path.starts_with(family);
  });
}

http::Response file_response(const web::StaticFile& file, std::string_view cache,
                             const http::Request& request, const std::string& policy) {
  http::Response response;
  if (http::etag_matches(request.header(field::if_none_match), file.etag)) {
    response = http::empty_response(304);
  } else {
    response = http::text_response(200, file.content_type, file.body);
  }
  response.set(field::etag, file.etag);
  response.set(field::cache_control, cache);
  web::add_page_security_headers(response, policy, request.secure);
  return response;
}

}  // namespace

void add_web_routes(http::Router& router, const web::StaticSite& site, std::string policy) {
  router.set_fallback(
      [&site, policy = std::move(policy)](http::Request& request) -> awaitable<http::Response> {
        const std::string_view path = request.path;
        const auto* file = path == "/" ? &site.index() : site.find(path);
        if (file == &site.index()) {
          co_return file_response(*file, revalidate_cache, request, policy);
        }
        if (file != nullptr) {
          co_return file_response(*file, file->immutable ? immutable_cache : short_cache, request,
                                  policy);
        }
        if (!app_page(path)) {
          throw errors::not_found();
        }
        co_return file_response(site.index(), revalidate_cache, request, policy);
      });
}

}  // namespace boxoffice::api
