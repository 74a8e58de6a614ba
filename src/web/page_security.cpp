#include "web/page_security.hpp"

#include <boost/url/parse.hpp>

namespace boxoffice::web {
namespace {

// "https://cdn.example.com/some/path" → "https://cdn.example.com"; "" when the URL is
// not an absolute http(s) URL. Rebuilt from parsed parts, so nothing from the setting
// can add a directive to the policy.
std::string origin_of(std::string_view url) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") ||
      parsed->encoded_host().empty()) {
    return {};
  }
  const auto host_and_port = parsed->encoded_host_and_port();
  if (host_and_port.find_first_of(" ;,'\"") != std::string_view::npos) {
    return {};
  }
  return std::string{parsed->scheme()} + "://" + std::string{host_and_port};
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
  // The pages need no device: a page made to misbehave cannot ask for one either.
  response.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  response.set("Cross-Origin-Opener-Policy", "same-origin");
  if (secure) {
    response.set("Strict-Transport-Security", "max-age=31536000");
  }
}

}  // namespace boxoffice::web
