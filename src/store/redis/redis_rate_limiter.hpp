// Fixed-window throttling counters in Redis, shared by every instance: `rl:{key}` is an
// integer whose TTL is what is left of its window. A small script makes "count one more,
// and open a window if none is open" one atomic step: MULTI cannot be used on a connection
// that other coroutines pipeline commands into.
#pragma once

#include "store/rate_limiter.hpp"
#include "store/redis/redis_client.hpp"

namespace boxoffice::store::redis {

class RedisRateLimiter final : public RateLimiter {
 public:
  // Windows are measured by the Redis server's clock.
  explicit RedisRateLimiter(RedisClient& client);

  boost::asio::awaitable<WindowCount> current(std::string key) override;
  boost::asio::awaitable<WindowCount> increment(std::string key,
                                                std::chrono::seconds window) override;
  boost::asio::awaitable<void> clear(std::string key) override;

 private:
  RedisClient& client_;
};

}  // namespace boxoffice::store::redis
