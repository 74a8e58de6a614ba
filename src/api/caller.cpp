#include "api/caller.hpp"

#include "common/api_error.hpp"
#include "common/random.hpp"
#include "security/token_hash.hpp"

namespace boxoffice::api {
namespace {

std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    auto pair = header.substr(0, semicolon);
    header =
        semicolon == std::string_view::npos ? std::string_view{} : header.substr(semicolon + 1);
    while (!pair.empty() && pair.front() == ' ') {
      pair.remove_prefix(1);
    }
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      return pair.substr(equals + 1);
    }
  }
  return {};
}

struct PresentedToken {
  std::string_view token;
  bool by_cookie = false;
};

PresentedToken presented_token(const http::Request& request) {
  const auto authorization = request.header(http::beast_http::field::authorization);
  constexpr std::string_view bearer = "Bearer ";
  if (authorization.size() > bearer.size() && authorization.substr(0, bearer.size()) == bearer) {
    return {authorization.substr(bearer.size()), false};
  }
  return {cookie_value(request.header(http::beast_http::field::cookie), session_cookie), true};
}

bool is_unsafe(http::beast_http::verb method) {
  using http::beast_http::verb;
  return method == verb::post || method == verb::put || method == verb::patch ||
         method == verb::delete_;
}

int rank(store::Role role) {
  switch (role) {
    case store::Role::customer:
      return 0;
    case store::Role::staff:
      return 1;
    case store::Role::admin:
      return 2;
  }
  return 0;
}

}  // namespace

boost::asio::awaitable<std::optional<Caller>> authenticate(Services& services,
                                                           const http::Request& request) {
  const auto presented = presented_token(request);
  // Tokens are 64 hex characters; anything else cannot be a session and costs no lookup.
  if (presented.token.size() != 64) {
    co_return std::nullopt;
  }
  auto token_hash = security::hash_token(presented.token);
  auto session = co_await services.sessions.touch(token_hash);
  if (!session) {
    co_return std::nullopt;
  }
  auto user = co_await services.users.find_by_id(session->user_id);
  if (!user) {
    co_return std::nullopt;
  }
  co_return Caller{std::move(*user), std::move(*session), std::move(token_hash),
                   presented.by_cookie};
}

boost::asio::awaitable<Caller> require_caller(Services& services, const http::Request& request) {
  auto caller = co_await authenticate(services, request);
  if (!caller) {
    throw errors::unauthenticated();
  }
  if (caller->by_cookie && is_unsafe(request.method()) &&
      !constant_time_equal(request.header("X-CSRF-Token"), caller->session.csrf_token)) {
    throw errors::csrf_failed();
  }
  co_return std::move(*caller);
}

void require_role(const Caller& caller, store::Role role) {
  if (rank(caller.user.role) < rank(role)) {
    throw errors::forbidden();
  }
}

boost::json::object user_json(const store::User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"name", user.name},
          {"role", store::to_string(user.role)}};
}

std::string session_cookie_header(std::string_view token, bool secure) {
  return std::string{session_cookie} + "=" + std::string{token} +
         "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
}

std::string cleared_session_cookie_header(bool secure) {
  return std::string{session_cookie} + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" +
         (secure ? "; Secure" : "");
}

}  // namespace boxoffice::api
