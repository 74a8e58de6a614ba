// The web front end: its built files, and index.html for every path of the single-page
// app, so that a deep link such as /events/ID loads the app, which then routes itself.
#include "api/routes.hpp"
#include "common/api_error.hpp"
#include "http/etag.hpp"
#include "http/response.hpp"
#include "web/page_security.hpp"

namespace boxoffice::api {
namespace {

using boost::asio::awaitable;
using http::beast_http::field;

constexpr std::string_view immutable_cache = "public, max-age=31536000, immutable";
// index.html names the current hashed bundles: always revalidated, so a new release is
// picked up on the next load.
constexpr std::string_view revalidate_cache = "no-cache";
constexpr std::string_view short_cache = "public, max-age=3600";

// Paths under these belong to the server: an unknown one is a 404, never the app.
bool reserved(std::string_view path) {
  return path.starts_with("/api/") || path == "/api" || path.starts_with("/posters/") ||
         path.starts_with("/assets/");
}

bool looks_like_a_file(std::string_view path) {
  const auto last_slash = path.rfind('/');
  return path.find('.', last_slash == std::string_view::npos ? 0 : last_slash) !=
         std::string_view::npos;
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
        if (reserved(path) || looks_like_a_file(path)) {
          throw errors::not_found();
        }
        co_return file_response(site.index(), revalidate_cache, request, policy);
      });
}

}  // namespace boxoffice::api
