#include "web/page_security.hpp"

namespace boxoffice::web {
namespace {

// "https://cdn.example.com/some/path" → "https://cdn.example.com"; "" when not absolute.
std::string origin_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return {};
  }
  const auto path_start = url.find('/', scheme_end + 3);
  return std::string{url.substr(0, path_start)};
}

}  // namespace

std::string content_security_policy(std::string_view poster_base_url) {
  std::string images = "'self' data: blob:";
  if (const auto origin = origin_of(poster_base_url); !origin.empty()) {
    images += " " + origin;
  }
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + images +
         "; connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
         "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

void add_page_security_headers(http::Response& response, const std::string& policy, bool secure) {
  response.set("Content-Security-Policy", policy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "same-origin");
  // The check-in page may use the camera; nothing else is needed.
  response.set("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()");
  response.set("Cross-Origin-Opener-Policy", "same-origin");
  if (secure) {
    response.set("Strict-Transport-Security", "max-age=31536000");
  }
}

}  // namespace boxoffice::web
