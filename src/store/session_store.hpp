// Server-side sessions, keyed by the hash of the token: shared by every instance on the
// Redis backend, in-process on the embedded default.
#pragma once

#include "common/clock.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace boxoffice::store {

struct Session {
  std::string user_id;
  std::string csrf_token;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  virtual boost::asio::awaitable<void> create(std::string token_hash, Session session) = 0;
  // Finds a live session and slides its expiry forward: one round trip per request.
  virtual boost::asio::awaitable<std::optional<Session>> touch(std::string token_hash) = 0;
  virtual boost::asio::awaitable<void> revoke(std::string token_hash) = 0;
};

}  // namespace boxoffice::store
