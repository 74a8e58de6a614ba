// Who is calling: the session behind a cookie or bearer token, the CSRF rule for cookie
// requests, and role checks.
#pragma once

#include "api/services.hpp"
#include "http/message.hpp"
#include "store/user.hpp"

#include <boost/json/object.hpp>

namespace boxoffice::api {

inline constexpr std::string_view session_cookie = "bo_session";

struct Caller {
  store::User user;
  store::Session session;
  std::string token_hash;
  bool by_cookie = false;
};

// The caller, or nullopt when the request carries no live session.
boost::asio::awaitable<std::optional<Caller>> authenticate(Services& services,
                                                           const http::Request& request);

// The caller, or 401; for unsafe methods authenticated by cookie, also 403 csrf_failed
// unless X-CSRF-Token matches the session's token.
boost::asio::awaitable<Caller> require_caller(Services& services, const http::Request& request);

// 403 unless the caller has at least `role` (customer < staff < admin).
void require_role(const Caller& caller, store::Role role);

boost::json::object user_json(const store::User& user);

// Set-Cookie values that start and end a browser session.
std::string session_cookie_header(std::string_view token, bool secure);
std::string cleared_session_cookie_header(bool secure);

}  // namespace boxoffice::api
