// Sessions in Redis, so that a session made on one instance works on every other and a
// log-out revokes it everywhere at once. One string per session, `session:{token hash}` =
// "user_id\ncsrf_token", whose Redis TTL is the idle lifetime: touch() reads it and slides
// the TTL in one GETEX, so an idle session simply disappears.
#pragma once

#include "store/redis/redis_client.hpp"
#include "store/session_store.hpp"

#include <chrono>

namespace boxoffice::store::redis {

class RedisSessionStore final : public SessionStore {
 public:
  // `ttl` is the idle lifetime, measured by the Redis server's clock.
  RedisSessionStore(RedisClient& client, std::chrono::seconds ttl);

  boost::asio::awaitable<void> create(std::string token_hash, Session session) override;
  boost::asio::awaitable<std::optional<Session>> touch(std::string token_hash) override;
  boost::asio::awaitable<void> revoke(std::string token_hash) override;

 private:
  RedisClient& client_;
  std::string ttl_seconds_;
};

}  // namespace boxoffice::store::redis
