#include "store/sqlite/sqlite_database.hpp"

#include "store/sqlite/sqlite_migrations.hpp"

namespace boxoffice::store::sqlite {

SqliteDatabase::SqliteDatabase(const std::string& path, std::size_t connections)
    : pool_(path, connections), users_(pool_), catalog_(pool_), orders_(pool_) {}

void SqliteDatabase::migrate() {
  sqlite::migrate(pool_.migration_connection());
}

boost::asio::awaitable<void> SqliteDatabase::ping() {
  auto query = [](Connection& connection) { connection.prepare("SELECT 1").run(); };
  co_await pool_.run(std::move(query));
}

}  // namespace boxoffice::store::sqlite
