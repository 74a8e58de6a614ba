// Sign-up, log-in, log-out and "me": the contract's "Authentication and sessions".
#include "api/accounts.hpp"
#include "api/caller.hpp"
#include "api/json_fields.hpp"
#include "api/routes.hpp"
#include "common/api_error.hpp"
#include "common/random.hpp"
#include "http/response.hpp"
#include "security/token_hash.hpp"

namespace boxoffice::api {
namespace {

using boost::asio::awaitable;
using http::beast_http::verb;

// Issues a session and answers {user, token, csrf_token} with the session cookie set.
awaitable<http::Response> start_session(Services& services, const http::Request& request,
                                        const store::User& user, unsigned status) {
  const auto token = random_hex(32);
  store::Session session{.user_id = user.id, .csrf_token = random_hex(32)};
  const auto csrf_token = session.csrf_token;
  auto token_hash = security::hash_token(token);
  co_await services.sessions.create(std::move(token_hash), std::move(session));
  auto response = http::json_response(
      status,
      boost::json::object{{"user", user_json(user)}, {"token", token}, {"csrf_token", csrf_token}});
  response.set(http::beast_http::field::set_cookie, session_cookie_header(token, request.secure));
  co_return response;
}

std::string read_password(const boost::json::object& body) {
  const auto* value = body.if_contains("password");
  if (value == nullptr || !value->is_string()) {
    throw errors::invalid_request("password is required and must be a string", "password");
  }
  std::string password{value->as_string()};
  if (auto problem = password_problem(password)) {
    throw errors::invalid_request(*problem, "password");
  }
  return password;
}

awaitable<http::Response> signup(Services& services, http::Request& request) {
  const auto body = parse_object(request);
  auto email =
      normalize_email(required_text(body, "email", {.min_chars = 1, .max_chars = email_max_chars}));
  if (!is_valid_email(email)) {
    throw errors::invalid_request("email is not a valid address", "email");
  }
  auto password = read_password(body);
  auto name = required_text(body, "name", {.min_chars = 1, .max_chars = name_max_chars});

  auto hash_password = [&hasher = services.password_hasher, password = std::move(password)] {
    return hasher.hash(password);
  };
  auto hash = co_await services.password_pool.run(std::move(hash_password));
  auto user = new_user(std::move(email), std::move(name), store::Role::customer, std::move(hash),
                       services.clock.now());
  if (co_await services.users.create(user) == store::CreateUserResult::email_taken) {
    throw errors::conflict("email_taken", "an account with this email already exists");
  }
  services.metrics.increment("boxoffice_signups_total");
  co_return co_await start_session(services, request, user, 201);
}

awaitable<void> check_login_throttle(Services& services, const std::string& account_key,
                                     const std::string& address_key) {
  const auto& limits = services.login_throttle;
  const auto account = co_await services.rate_limiter.current(account_key);
  const auto address = co_await services.rate_limiter.current(address_key);
  std::chrono::seconds wait{0};
  if (account.count >= limits.max_failures_per_account) {
    wait = std::max(wait, account.resets_in);
  }
  if (address.count >= limits.max_failures_per_address) {
    wait = std::max(wait, address.resets_in);
  }
  if (wait.count() > 0) {
    throw errors::rate_limited(static_cast<int>(wait.count()));
  }
}

awaitable<http::Response> login(Services& services, http::Request& request) {
  const auto body = parse_object(request);
  const auto email =
      normalize_email(required_text(body, "email", {.min_chars = 1, .max_chars = email_max_chars}));
  const auto* password_value = body.if_contains("password");
  if (password_value == nullptr || !password_value->is_string()) {
    throw errors::invalid_request("password is required and must be a string", "password");
  }
  std::string password{password_value->as_string()};
  if (utf8_length(password) > password_max_chars) {
    throw errors::invalid_request("password is too long", "password");
  }

  const auto account_key = "login:account:" + email;
  const auto address_key = "login:address:" + request.client_address;
  co_await check_login_throttle(services, account_key, address_key);

  auto user = co_await services.users.find_by_email(email);
  auto verify_password = [&hasher = services.password_hasher, &user,
                          password = std::move(password)] {
    if (!user) {
      hasher.verify_dummy(password);
      return false;
    }
    return hasher.verify(user->password_hash, password);
  };
  const bool verified = co_await services.password_pool.run(std::move(verify_password));
  if (!verified) {
    co_await services.rate_limiter.increment(account_key, services.login_throttle.window);
    co_await services.rate_limiter.increment(address_key, services.login_throttle.window);
    services.metrics.increment("boxoffice_login_failures_total");
    throw ApiError{401, "invalid_credentials", "the email or password is wrong"};
  }
  co_await services.rate_limiter.clear(account_key);
  co_return co_await start_session(services, request, *user, 200);
}

awaitable<http::Response> logout(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  co_await services.sessions.revoke(caller.token_hash);
  auto response = http::empty_response(204);
  response.set(http::beast_http::field::set_cookie, cleared_session_cookie_header(request.secure));
  co_return response;
}

awaitable<http::Response> me(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  co_return http::json_response(200,
                                boost::json::object{{"user", user_json(caller.user)},
                                                    {"csrf_token", caller.session.csrf_token}});
}

}  // namespace

void add_auth_routes(http::Router& router, Services& services) {
  router.add(verb::post, "/api/v1/auth/signup",
             [&services](http::Request& request) { return signup(services, request); });
  router.add(verb::post, "/api/v1/auth/login",
             [&services](http::Request& request) { return login(services, request); });
  router.add(verb::post, "/api/v1/auth/logout",
             [&services](http::Request& request) { return logout(services, request); });
  router.add(verb::get, "/api/v1/me",
             [&services](http::Request& request) { return me(services, request); });
}

}  // namespace boxoffice::api
