// Throttling counters in this process's memory, for the embedded default.
#pragma once

#include "common/clock.hpp"
#include "store/rate_limiter.hpp"

#include <mutex>
#include <unordered_map>

namespace boxoffice::store {

class MemoryRateLimiter final : public RateLimiter {
 public:
  MemoryRateLimiter(const Clock& clock, std::size_t max_keys);

  boost::asio::awaitable<WindowCount> current(std::string key) override;
  boost::asio::awaitable<WindowCount> increment(std::string key,
                                                std::chrono::seconds window) override;
  boost::asio::awaitable<void> clear(std::string key) override;

 private:
  struct Window {
    int count = 0;
    TimePoint ends_at;
  };
  WindowCount describe(const Window& window, TimePoint now) const;

  const Clock& clock_;
  std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace boxoffice::store
