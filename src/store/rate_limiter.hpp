// Fixed-window counters for throttling (failed log-ins per account and per address).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>

namespace boxoffice::store {

struct WindowCount {
  int count = 0;
  std::chrono::seconds resets_in{0};
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;

  virtual boost::asio::awaitable<WindowCount> current(std::string key) = 0;
  // Counts one more event; a new window of `window` starts when none is open.
  virtual boost::asio::awaitable<WindowCount> increment(std::string key,
                                                        std::chrono::seconds window) = 0;
  virtual boost::asio::awaitable<void> clear(std::string key) = 0;
};

}  // namespace boxoffice::store
