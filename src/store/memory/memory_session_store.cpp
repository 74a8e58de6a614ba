#include "store/memory/memory_session_store.hpp"

#include <stdexcept>

namespace boxoffice::store {

MemorySessionStore::MemorySessionStore(const Clock& clock, std::chrono::seconds ttl,
                                       std::size_t max_sessions)
    : clock_(clock), ttl_(ttl), max_sessions_(max_sessions), next_purge_(clock.now()) {}

void MemorySessionStore::purge_expired_locked(TimePoint now) {
  // A sweep per minute keeps memory bounded by live sessions without a timer thread.
  if (now < next_purge_ && sessions_.size() < max_sessions_) {
    return;
  }
  std::erase_if(sessions_, [now](const auto& item) { return item.second.expires_at <= now; });
  next_purge_ = now + std::chrono::minutes{1};
}

boost::asio::awaitable<void> MemorySessionStore::create(std::string token_hash, Session session) {
  const auto now = clock_.now();
  {
    std::scoped_lock lock{mutex_};
    purge_expired_locked(now);
    if (sessions_.size() >= max_sessions_) {
      throw std::runtime_error("session store is full");
    }
    sessions_[std::move(token_hash)] = Entry{std::move(session), now + ttl_};
  }
  co_return;
}

boost::asio::awaitable<std::optional<Session>> MemorySessionStore::touch(std::string token_hash) {
  const auto now = clock_.now();
  std::optional<Session> found;
  {
    std::scoped_lock lock{mutex_};
    purge_expired_locked(now);
    if (auto it = sessions_.find(token_hash); it != sessions_.end()) {
      if (it->second.expires_at <= now) {
        sessions_.erase(it);
      } else {
        it->second.expires_at = now + ttl_;
        found = it->second.session;
      }
    }
  }
  co_return found;
}

boost::asio::awaitable<void> MemorySessionStore::revoke(std::string token_hash) {
  {
    std::scoped_lock lock{mutex_};
    sessions_.erase(token_hash);
  }
  co_return;
}

}  // namespace boxoffice::store
