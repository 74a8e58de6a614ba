#include "store/memory/memory_rate_limiter.hpp"

namespace boxoffice::store {

MemoryRateLimiter::MemoryRateLimiter(const Clock& clock, std::size_t max_keys)
    : clock_(clock), max_keys_(max_keys) {}

WindowCount MemoryRateLimiter::describe(const Window& window, TimePoint now) const {
  if (window.ends_at <= now) {
    return {};
  }
  return {window.count, std::chrono::ceil<std::chrono::seconds>(window.ends_at - now)};
}

boost::asio::awaitable<WindowCount> MemoryRateLimiter::current(std::string key) {
  const auto now = clock_.now();
  WindowCount result;
  {
    std::scoped_lock lock{mutex_};
    if (auto it = windows_.find(key); it != windows_.end()) {
      result = describe(it->second, now);
    }
  }
  co_return result;
}

boost::asio::awaitable<WindowCount> MemoryRateLimiter::increment(std::string key,
                                                                 std::chrono::seconds window) {
  const auto now = clock_.now();
  WindowCount result;
  {
    std::scoped_lock lock{mutex_};
    if (windows_.size() >= max_keys_) {
      // Bounded memory under an address-spraying attack: forget closed windows first.
      std::erase_if(windows_, [now](const auto& item) { return item.second.ends_at <= now; });
    }
    auto& entry = windows_[std::move(key)];
    if (entry.ends_at <= now) {
      entry = Window{0, now + window};
    }
    ++entry.count;
    result = describe(entry, now);
  }
  co_return result;
}

boost::asio::awaitable<void> MemoryRateLimiter::clear(std::string key) {
  {
    std::scoped_lock lock{mutex_};
    windows_.erase(key);
  }
  co_return;
}

}  // namespace boxoffice::store
