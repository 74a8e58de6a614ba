// Throttling windows as Redis counters with a TTL; both reads answer (count, ms left).
#include "store/redis/redis_rate_limiter.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace boxoffice::store::redis {
namespace {

std::string key_of(const std::string& key) {
  return "rl:" + key;
}

// KEYS[1] counter, ARGV[1] window in ms. A counter without a TTL (never expected, but it
// would throttle forever) gets one as if its window had just opened.
const RedisScript& increment_script() {
  static const RedisScript script{R"lua(
local count = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {count, left}
)lua"};
  return script;
}

// KEYS[1] counter. A missing counter reads as (0, 0).
const RedisScript& current_script() {
  static const RedisScript script{R"lua(
local count = redis.call('GET', KEYS[1])
if not count then
  return {0, 0}
end
return {tonumber(count), redis.call('PTTL', KEYS[1])}
)lua"};
  return script;
}

WindowCount window_of(const RedisReply& reply, std::string_view what) {
  const auto& parts = reply.expect_ok(what).as_array(what, 2);
  const auto count = parts[0].as_integer(what);
  const auto left_ms = parts[1].as_integer(what);
  if (count <= 0 || left_ms <= 0) {
    return {};
  }
  // Rounded up, like the in-process limiter: "retry after 0 s" would invite a retry that
  // is still refused.
  const auto resets_in =
      std::chrono::ceil<std::chrono::seconds>(std::chrono::milliseconds{left_ms});
  return WindowCount{
      static_cast<int>(std::min<std::int64_t>(count, std::numeric_limits<int>::max())), resets_in};
}

}  // namespace

RedisRateLimiter::RedisRateLimiter(RedisClient& client) : client_(client) {}

boost::asio::awaitable<WindowCount> RedisRateLimiter::current(std::string key) {
  std::vector<std::string> keys{key_of(key)};
  std::vector<std::string> no_args;
  const auto reply = co_await client_.eval(current_script(), std::move(keys), std::move(no_args));
  co_return window_of(reply, "rate limit read");
}

boost::asio::awaitable<WindowCount> RedisRateLimiter::increment(std::string key,
                                                                std::chrono::seconds window) {
  if (window.count() <= 0) {
    throw std::invalid_argument("rate limit window must be positive");
  }
  std::vector<std::string> keys{key_of(key)};
  std::vector<std::string> args{
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(window).count())};
  const auto reply = co_await client_.eval(increment_script(), std::move(keys), std::move(args));
  co_return window_of(reply, "rate limit increment");
}

boost::asio::awaitable<void> RedisRateLimiter::clear(std::string key) {
  std::vector<std::string> args{"DEL", key_of(key)};
  const auto reply = co_await client_.command(std::move(args));
  reply.expect_ok("DEL rate limit");
}

}  // namespace boxoffice::store::redis
