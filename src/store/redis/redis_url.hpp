// Where the Redis server is and how to log in, from BOXOFFICE_REDIS_URL:
// redis://[[USER]:PASSWORD@]HOST[:PORT][/DB], user and password percent-decoded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace boxoffice::store::redis {

struct RedisUrl {
  // Empty with a password: the legacy single-password AUTH. Both empty: no AUTH at all.
  std::string user;
  std::string password;
  // A name or an address; an IPv6 address without its brackets.
  std::string host;
  std::uint16_t port = 6379;
  int database = 0;

  // The URL with the password masked, for logs and error messages.
  [[nodiscard]] std::string redacted() const;
};

// Throws std::invalid_argument naming what is wrong (never quoting the password).
RedisUrl parse_redis_url(std::string_view url);

}  // namespace boxoffice::store::redis
