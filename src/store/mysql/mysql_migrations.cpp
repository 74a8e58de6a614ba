// The MariaDB schema. Every table is InnoDB in utf8mb4 with a binary, no-pad collation,
// so text compares byte for byte as in SQLite ('Key' <> 'key', 'a' <> 'a ').
//
// DDL commits implicitly in MariaDB, so a step cannot be one transaction. Instead every
// statement of a step is written to be run again (IF NOT EXISTS), and the step is recorded
// only after all of them: a step cut short is completed by the next `boxoffice migrate`.
//
// Sharding by event: every sales row (orders, tickets) carries its event_id, the one rule
// that must hold across concurrent transactions (one live ticket per seat) is a unique key
// inside one event, and no transaction touches two events. A deployment that outgrows
// one primary can therefore split orders and tickets by event_id and keep users (and the
// idempotency keys, reachable from the hold id, which carries its event) apart.
#include "store/mysql/mysql_migrations.hpp"

#include "common/time_format.hpp"

#include <mysqld_error.h>

#include <chrono>
#include <set>
#include <vector>

namespace boxoffice::store::mysql {
namespace {

struct Migration {
  int version;
  std::vector<const char*> statements;
};

// Append only: a released step never changes, since databases in the field already ran it.
// Columns match the SQLite schema; lengths cover what the API accepts (ids are 32 hex
// characters, names 200, Idempotency-Key 255, hold ids 128); strict mode refuses more.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> steps{
      {1, {R"sql(
CREATE TABLE IF NOT EXISTS users (
  id            VARCHAR(64)  NOT NULL,
  email         VARCHAR(320) NOT NULL,
  name          VARCHAR(255) NOT NULL,
  role          VARCHAR(16)  NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  created_at    BIGINT       NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY users_by_email (email),
  CONSTRAINT users_role CHECK (role IN ('customer', 'staff', 'admin'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql"}},
      {2,
       {R"sql(
CREATE TABLE IF NOT EXISTS venues (
  id         VARCHAR(64)  NOT NULL,
  name       VARCHAR(255) NOT NULL,
  layout     MEDIUMTEXT   NOT NULL,
  capacity   BIGINT       NOT NULL,
  created_at BIGINT       NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql",
        R"sql(
CREATE TABLE IF NOT EXISTS events (
  id                    VARCHAR(64)  NOT NULL,
  venue_id              VARCHAR(64)  NOT NULL,
  title                 VARCHAR(255) NOT NULL,
  artist                VARCHAR(255) NOT NULL,
  starts_at             BIGINT       NOT NULL,
  sale_starts_at        BIGINT       NOT NULL,
  status                VARCHAR(32)  NOT NULL,
  currency              VARCHAR(8)   NOT NULL,
  prices                MEDIUMTEXT   NOT NULL,
  max_tickets_per_order INT          NOT NULL,
  hold_seconds          INT          NOT NULL,
  poster                MEDIUMTEXT   NULL,
  created_at            BIGINT       NOT NULL,
  PRIMARY KEY (id),
  KEY events_by_start (starts_at),
  CONSTRAINT events_venue FOREIGN KEY (venue_id) REFERENCES venues (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql",
        // seq stands in for SQLite's rowid: insertion order, the tie-break of equal
        // created_at seconds when listing.
        R"sql(
CREATE TABLE IF NOT EXISTS orders (
  id              VARCHAR(64)     NOT NULL,
  user_id         VARCHAR(64)     NOT NULL,
  event_id        VARCHAR(64)     NOT NULL,
  hold_id         VARCHAR(160)    NOT NULL,
  status          VARCHAR(16)     NOT NULL,
  total           BIGINT          NOT NULL,
  currency        VARCHAR(8)      NOT NULL,
  seats           MEDIUMTEXT      NOT NULL,
  idempotency_key VARCHAR(255)    NOT NULL,
  created_at      BIGINT          NOT NULL,
  updated_at      BIGINT          NOT NULL,
  seq             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  PRIMARY KEY (id),
  UNIQUE KEY orders_seq (seq),
  KEY orders_by_user (user_id, created_at, seq),
  KEY orders_by_event (event_id, status),
  KEY orders_by_status (status, created_at),
  CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT orders_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql",
        // The final arbiter of "never sold twice": live_seat_id is the seat while the
        // ticket is live and NULL once void, and a unique key allows many NULLs, so at
        // most one live ticket per (event, seat), whatever any cache says. (MariaDB has no
        // partial indexes; this is SQLite's "UNIQUE ... WHERE status <> 'void'".)
        R"sql(
CREATE TABLE IF NOT EXISTS tickets (
  id            VARCHAR(64)     NOT NULL,
  order_id      VARCHAR(64)     NOT NULL,
  event_id      VARCHAR(64)     NOT NULL,
  user_id       VARCHAR(64)     NOT NULL,
  seat_id       VARCHAR(64)     NOT NULL,
  code          TEXT            NOT NULL,
  status        VARCHAR(16)     NOT NULL,
  checked_in_at BIGINT          NULL,
  seq           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  live_seat_id  VARCHAR(64) AS (IF(status <> 'void', seat_id, NULL)) STORED,
  PRIMARY KEY (id),
  UNIQUE KEY tickets_one_live_per_seat (event_id, live_seat_id),
  UNIQUE KEY tickets_seq (seq),
  KEY tickets_by_order (order_id, seq),
  CONSTRAINT tickets_status CHECK (status IN ('valid', 'checked_in', 'void')),
  CONSTRAINT tickets_order FOREIGN KEY (order_id) REFERENCES orders (id),
  CONSTRAINT tickets_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql",
        // Answers are stored by order id, so that lookup has an index here (SQLite scans,
        // which a busy MariaDB table cannot afford under row locks).
        R"sql(
CREATE TABLE IF NOT EXISTS idempotency_keys (
  user_id      VARCHAR(64)  NOT NULL,
  `key`        VARCHAR(255) NOT NULL,
  request_hash VARCHAR(128) NOT NULL,
  order_id     VARCHAR(64)  NOT NULL,
  done         TINYINT      NOT NULL DEFAULT 0,
  status_code  INT          NOT NULL DEFAULT 0,
  response     MEDIUMTEXT   NOT NULL DEFAULT '',
  created_at   BIGINT       NOT NULL,
  PRIMARY KEY (user_id, `key`),
  KEY idempotency_by_order (order_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql"}},
      {3, {R"sql(
CREATE TABLE IF NOT EXISTS retired_posters (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  event_id     VARCHAR(64)     NOT NULL,
  poster       MEDIUMTEXT      NOT NULL,
  delete_after BIGINT          NOT NULL,
  PRIMARY KEY (id),
  KEY retired_posters_by_time (delete_after)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql"}},
  };
  return steps;
}

constexpr std::string_view create_schema_migrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, "
    "applied_at BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin";

// Holds the lock for the life of the object; waits for it only a bounded time. Advisory
// locks are server-wide, so the name carries the database: migrations of other databases
// on the same server (other deployments, parallel test runs) do not wait for each other.
// Lock names are limited to 64 characters, hence the prefix of the database name.
class MigrationLock {
 public:
  explicit MigrationLock(Connection& connection) : connection_(connection) {
    constexpr std::int64_t wait_seconds = 60;
    auto lock = connection_.prepare("SELECT GET_LOCK(" + std::string{lock_name} + ", ?)");
    lock.bind(1, wait_seconds);
    if (!lock.step() || lock.integer(0) != 1) {
      throw std::runtime_error("another `boxoffice migrate` held the migration lock for " +
                               std::to_string(wait_seconds) + " s; try again when it is done");
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;
  ~MigrationLock() {
    try {
      auto release = connection_.prepare("SELECT RELEASE_LOCK(" + std::string{lock_name} + ")");
      while (release.step()) {
      }
    } catch (const std::exception&) {
      // The server releases a lock when its connection closes, which follows shortly.
    }
  }

 private:
  static constexpr std::string_view lock_name =
      "CONCAT('boxoffice.migrate.', LEFT(DATABASE(), 44))";
  Connection& connection_;
};

std::set<int> applied_versions(Connection& connection) {
  std::set<int> versions;
  try {
    auto row = connection.prepare("SELECT version FROM schema_migrations");
    while (row.step()) {
      versions.insert(static_cast<int>(row.integer(0)));
    }
  } catch (const MysqlError& error) {
    if (error.code() != ER_NO_SUCH_TABLE) {
      throw;
    }
  }
  return versions;
}

bool current(const std::set<int>& applied) {
  for (const auto& step : migrations()) {
    if (!applied.contains(step.version)) {
      return false;
    }
  }
  return true;
}

int highest(const std::set<int>& applied) {
  return applied.empty() ? 0 : *applied.rbegin();
}

}  // namespace

int latest_version() {
  return migrations().back().version;
}

int migrate(Connection& connection, const std::string& user) {
  if (current(applied_versions(connection))) {
    return 0;
  }
  MigrationLock lock{connection};
  // Another instance may have migrated while this one waited for the lock.
  auto applied = applied_versions(connection);
  int count = 0;
  try {
    connection.exec(create_schema_migrations);
    for (const auto& step : migrations()) {
      if (applied.contains(step.version)) {
        continue;
      }
      for (const char* statement : step.statements) {
        connection.exec(statement);
      }
      connection.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
          .bind(1, std::int64_t{step.version})
          .bind(2, to_unix_seconds(std::chrono::system_clock::now()))
          .run();
      applied.insert(step.version);
      ++count;
    }
  } catch (const MysqlError& error) {
    if (!error.is_access_denied()) {
      throw;
    }
    throw std::runtime_error("the database schema is at version " +
                             std::to_string(highest(applied)) + ", this build needs version " +
                             std::to_string(latest_version()) + ", and the account '" + user +
                             "' may not change the schema (" + error.what() +
                             "): run `boxoffice migrate` with the schema owner's account in "
                             "BOXOFFICE_DATABASE_URL, then start again");
  }
  return count;
}

}  // namespace boxoffice::store::mysql
