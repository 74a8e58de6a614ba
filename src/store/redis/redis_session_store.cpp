// Sessions as Redis strings with a sliding TTL (GETEX needs Redis 6.2 or later).
#include "store/redis/redis_session_store.hpp"

#include <stdexcept>

namespace boxoffice::store::redis {
namespace {

std::string key_of(const std::string& token_hash) {
  return "session:" + token_hash;
}

}  // namespace

RedisSessionStore::RedisSessionStore(RedisClient& client, std::chrono::seconds ttl)
    : client_(client), ttl_seconds_(std::to_string(ttl.count())) {
  if (ttl.count() <= 0) {
    throw std::invalid_argument("session TTL must be positive");
  }
}

boost::asio::awaitable<void> RedisSessionStore::create(std::string token_hash, Session session) {
  // Neither part can hold a newline: user ids are generated ids and CSRF tokens are hex.
  if (session.user_id.find('\n') != std::string::npos) {
    throw std::invalid_argument("session user id must not contain a newline");
  }
  std::vector<std::string> args{"SET", key_of(token_hash),
                                session.user_id + "\n" + session.csrf_token, "EX", ttl_seconds_};
  const auto reply = co_await client_.command(std::move(args));
  reply.expect_ok("SET session");
}

boost::asio::awaitable<std::optional<Session>> RedisSessionStore::touch(std::string token_hash) {
  std::vector<std::string> args{"GETEX", key_of(token_hash), "EX", ttl_seconds_};
  const auto reply = co_await client_.command(std::move(args));
  if (reply.is_nil()) {
    co_return std::nullopt;
  }
  const auto& value = reply.expect_ok("GETEX session").as_text("GETEX session");
  const auto newline = value.find('\n');
  if (newline == std::string::npos) {
    throw RedisError("redis: session record without its CSRF token");
  }
  Session session{.user_id = value.substr(0, newline), .csrf_token = value.substr(newline + 1)};
  co_return session;
}

boost::asio::awaitable<void> RedisSessionStore::revoke(std::string token_hash) {
  std::vector<std::string> args{"DEL", key_of(token_hash)};
  const auto reply = co_await client_.command(std::move(args));
  reply.expect_ok("DEL session");
}

}  // namespace boxoffice::store::redis
