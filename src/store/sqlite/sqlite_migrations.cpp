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
    Migration{2, R"sql(
CREATE TABLE venues (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  layout     TEXT NOT NULL,
  capacity   INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE events (
  id                    TEXT PRIMARY KEY,
  venue_id              TEXT NOT NULL REFERENCES venues (id),
  title                 TEXT NOT NULL,
  artist                TEXT NOT NULL,
  starts_at             INTEGER NOT NULL,
  sale_starts_at        INTEGER NOT NULL,
  status                TEXT NOT NULL,
  currency              TEXT NOT NULL,
  prices                TEXT NOT NULL,
  max_tickets_per_order INTEGER NOT NULL,
  hold_seconds          INTEGER NOT NULL,
  poster                TEXT,
  created_at            INTEGER NOT NULL
);
CREATE INDEX events_by_start ON events (starts_at);
CREATE TABLE orders (
  id              TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL REFERENCES users (id),
  event_id        TEXT NOT NULL REFERENCES events (id),
  hold_id         TEXT NOT NULL,
  status          TEXT NOT NULL,
  total           INTEGER NOT NULL,
  currency        TEXT NOT NULL,
  seats           TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX orders_by_user ON orders (user_id, created_at);
CREATE INDEX orders_by_event ON orders (event_id, status);
CREATE INDEX orders_by_status ON orders (status, created_at);
CREATE TABLE tickets (
  id            TEXT PRIMARY KEY,
  order_id      TEXT NOT NULL REFERENCES orders (id),
  event_id      TEXT NOT NULL REFERENCES events (id),
  user_id       TEXT NOT NULL,
  seat_id       TEXT NOT NULL,
  code          TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('valid', 'checked_in', 'void')),
  checked_in_at INTEGER
);
-- The final arbiter of "never sold twice": one live ticket per seat, whatever any cache says.
CREATE UNIQUE INDEX tickets_one_live_per_seat ON tickets (event_id, seat_id) WHERE status <> 'void';
CREATE INDEX tickets_by_order ON tickets (order_id);
CREATE TABLE idempotency_keys (
  user_id      TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  order_id     TEXT NOT NULL,
  done         INTEGER NOT NULL DEFAULT 0,
  status_code  INTEGER NOT NULL DEFAULT 0,
  response     TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);
)sql"},
    Migration{3, R"sql(
CREATE TABLE retired_posters (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id     TEXT    NOT NULL,
  poster       TEXT    NOT NULL,
  delete_after INTEGER NOT NULL
);
CREATE INDEX retired_posters_by_time ON retired_posters (delete_after);
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
