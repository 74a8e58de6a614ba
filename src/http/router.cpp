#include "http/router.hpp"

#include "common/api_error.hpp"
#include "common/backend_unavailable.hpp"
#include "http/access_log.hpp"
#include "http/response.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>

namespace boxoffice::http {
namespace {

std::vector<std::string> split_pattern(std::string_view pattern) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= pattern.size()) {
    const auto end = std::min(pattern.find('/', start), pattern.size());
    segments.emplace_back(pattern.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool media_type_is(std::string_view content_type, std::string_view wanted) {
  const auto semicolon = content_type.find(';');
  auto type = content_type.substr(0, semicolon);
  while (!type.empty() && type.back() == ' ') {
    type.remove_suffix(1);
  }
  return type.size() == wanted.size() &&
         std::equal(type.begin(), type.end(), wanted.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

bool body_acceptable(BodyKind kind, std::string_view content_type) {
  if (kind == BodyKind::image) {
    return media_type_is(content_type, "image/jpeg") || media_type_is(content_type, "image/png") ||
           media_type_is(content_type, "image/webp");
  }
  return media_type_is(content_type, "application/json");
}

}  // namespace

void Router::add(beast_http::verb method, std::string pattern, Handler handler, BodyKind body) {
  auto segments = split_pattern(pattern);
  routes_.push_back(
      Route{method, std::move(pattern), std::move(segments), std::move(handler), body});
}

void Router::set_fallback(Handler handler) {
  fallback_ = Route{beast_http::verb::get, "web", {}, std::move(handler), BodyKind::json};
}

bool Router::matches(const Route& route, const std::vector<std::string>& path,
                     std::unordered_map<std::string, std::string>& params) {
  if (route.segments.size() != path.size()) {
    return false;
  }
  params.clear();
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto& expected = route.segments[i];
    if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
      if (path[i].empty()) {
        return false;
      }
      params.emplace(expected.substr(1, expected.size() - 2), path[i]);
    } else if (expected != path[i]) {
      return false;
    }
  }
  return true;
}

boost::asio::awaitable<Response> Router::dispatch(Request& request) const {
  const auto target = boost::urls::parse_origin_form(request.message.target());
  if (!target) {
    request.route = "invalid";
    co_return error_response(errors::invalid_request("the request target is not a valid path"));
  }
  request.path = std::string{target->encoded_path()};
  request.query = std::string{target->encoded_query()};
  std::vector<std::string> path;
  for (auto segment : target->segments()) {
    path.emplace_back(segment);
  }

  std::string allowed;
  for (const auto& route : routes_) {
    if (!matches(route, path, request.params)) {
      continue;
    }
    if (route.method == request.method()) {
      request.route = route.pattern;
      co_return co_await run(route, request);
    }
    if (!allowed.empty()) {
      allowed += ", ";
    }
    allowed += beast_http::to_string(route.method);
  }
  request.params.clear();
  const bool reads =
      request.method() == beast_http::verb::get || request.method() == beast_http::verb::head;
  if (allowed.empty() && reads && fallback_) {
    request.route = fallback_->pattern;
    co_return co_await run(*fallback_, request);
  }
  if (allowed.empty()) {
    request.route = "unmatched";
    co_return error_response(errors::not_found());
  }
  request.route = "method_not_allowed";
  auto response =
      error_response(ApiError{405, "method_not_allowed", "this path does not accept that method"});
  response.set(beast_http::field::allow, allowed);
  co_return response;
}

bool Router::takes_image(beast_http::verb method, std::string_view target) const {
  const auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) {
    return false;
  }
  std::vector<std::string> path;
  for (auto segment : parsed->segments()) {
    path.emplace_back(segment);
  }
  std::unordered_map<std::string, std::string> params;
  return std::any_of(routes_.begin(), routes_.end(), [&](const Route& route) {
    return route.method == method && route.body == BodyKind::image && matches(route, path, params);
  });
}

boost::asio::awaitable<Response> Router::run(const Route& route, Request& request) const {
  try {
    const bool has_body = !request.message.body().empty();
    if (has_body && !body_acceptable(route.body, request.header(beast_http::field::content_type))) {
      throw ApiError{415, "unsupported_media_type",
                     route.body == BodyKind::image
                         ? "send the image as image/jpeg, image/png or image/webp"
                         : "send the body as application/json"};
    }
    co_return co_await route.handler(request);
  } catch (const ApiError& error) {
    co_return error_response(error);
  } catch (const BackendUnavailable& error) {
    if (metrics_ != nullptr) {
      metrics_->increment("boxoffice_store_unavailable_total");
    }
    log_event(
        spdlog::level::warn, "store unavailable",
        {{"request_id", request.request_id}, {"route", route.pattern}, {"error", error.what()}});
    co_return error_response(
        errors::unavailable("a backing store is not answering; retry shortly", 1));
  } catch (const std::exception& error) {
    log_event(
        spdlog::level::err, "unhandled error",
        {{"request_id", request.request_id}, {"route", route.pattern}, {"error", error.what()}});
  }
  co_return error_response(ApiError{500, "internal", "something went wrong on our side"});
}

}  // namespace boxoffice::http
