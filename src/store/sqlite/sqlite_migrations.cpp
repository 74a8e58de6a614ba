#include "store/sqlite/sqlite_migrations.hpp"

#include <array>
#include <chrono>

namespace boxoffice::store::sqlite {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// Append only: a released step never changes, since databases in the field already ran it.
constexpr std::array migrations{
    Migration{1, R"sql(
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('customer', 'staff', 'admin')),
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
)sql"},
};

}  // namespace

int migrate(Connection& connection) {
  connection.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "applied_at INTEGER NOT NULL)");
  int applied = 0;
  for (const auto& step : migrations) {
    Transaction transaction{connection};
    auto check = connection.prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
    check.bind(1, std::int64_t{step.version});
    if (check.step()) {
      continue;
    }
    connection.exec(step.sql);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    connection.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
        .bind(1, std::int64_t{step.version})
        .bind(2, std::int64_t{now})
        .run();
    transaction.commit();
    ++applied;
  }
  return applied;
}

}  // namespace boxoffice::store::sqlite
