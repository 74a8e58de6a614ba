// Where the MariaDB server is and who to log in as, from BOXOFFICE_DATABASE_URL:
// mysql://USER:PASSWORD@HOST:PORT/DB, user and password percent-decoded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace boxoffice::store::mysql {

struct MysqlUrl {
  std::string user;
  std::string password;
  // A name or an address; an IPv6 address without its brackets.
  std::string host;
  std::uint16_t port = 3306;
  std::string database;

  // The URL with the password masked, for logs and error messages.
  [[nodiscard]] std::string redacted() const;
};

// Throws std::invalid_argument naming what is wrong (never quoting the password). The port
// may be left out (3306); the user and the database may not.
MysqlUrl parse_mysql_url(std::string_view url);

}  // namespace boxoffice::store::mysql
