// Sessions in this process's memory: the embedded default, where one instance is all.
#pragma once

#include "common/clock.hpp"
#include "store/session_store.hpp"

#include <chrono>
#include <mutex>
#include <unordered_map>

namespace boxoffice::store {

class MemorySessionStore final : public SessionStore {
 public:
  MemorySessionStore(const Clock& clock, std::chrono::seconds ttl, std::size_t max_sessions);

  boost::asio::awaitable<void> create(std::string token_hash, Session session) override;
  boost::asio::awaitable<std::optional<Session>> touch(std::string token_hash) override;
  boost::asio::awaitable<void> revoke(std::string token_hash) override;

 private:
  struct Entry {
    Session session;
    TimePoint expires_at;
  };
  void purge_expired_locked(TimePoint now);

  const Clock& clock_;
  std::chrono::seconds ttl_;
  std::size_t max_sessions_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> sessions_;
  TimePoint next_purge_;
};

}  // namespace boxoffice::store
