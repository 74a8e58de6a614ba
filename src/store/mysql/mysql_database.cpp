// Wiring of the MariaDB backend: URL, pool, repositories, and the migration connection.
#include "store/mysql/mysql_database.hpp"

#include "store/mysql/mysql_migrations.hpp"
#include "store/store_errors.hpp"

#include <algorithm>

namespace boxoffice::store::mysql {

MysqlDatabase::MysqlDatabase(const std::string& url, std::size_t connections,
                             std::size_t commit_batch)
    : url_(parse_mysql_url(url)),
      pool_(ConnectionSettings{.url = url_}, connections),
      users_(pool_),
      catalog_(pool_),
      orders_(pool_, commit_batch, std::max<std::size_t>(1, connections / 4)) {}

void MysqlDatabase::migrate() {
  // An ALTER on a large table may take minutes; the pool's 5 s read timeout would cut it.
  Connection connection{ConnectionSettings{.url = url_, .read_timeout = std::chrono::hours{1}}};
  try {
    connection.ensure_connected();
    mysql::migrate(connection, url_.user);
  } catch (const MysqlError& error) {
    if (error.is_unreachable() || error.is_connection_lost()) {
      throw StoreUnavailable(error.what());
    }
    throw;
  }
}

boost::asio::awaitable<void> MysqlDatabase::ping() {
  auto query = [](Connection& connection, const Attempt&) {
    auto row = connection.prepare("SELECT 1");
    while (row.step()) {
    }
  };
  co_await pool_.run(std::move(query));
}

}  // namespace boxoffice::store::mysql
