#include "store/sqlite/sqlite_connection.hpp"

namespace boxoffice::store::sqlite {
namespace {
[[noreturn]] void fail(sqlite3* db, int code) {
  throw SqliteError(sqlite3_extended_errcode(db), std::string{"sqlite: "} + sqlite3_errmsg(db) +
                                                      " (" + std::to_string(code) + ")");
}
}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    fail(db_, rc);
  }
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::string_view value) {
  const int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) {
    fail(db_, rc);
  }
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) {
    fail(db_, rc);
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) {
    fail(db_, rc);
  }
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  fail(db_, rc);
}

void Statement::run() {
  while (step()) {
  }
  sqlite3_reset(stmt_);
}

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return data == nullptr
             ? std::string{}
             : std::string{reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)};
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return text(column);
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Connection::Connection(const std::string& path) {
  const int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw SqliteError(rc, "sqlite: cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  // WAL lets readers proceed during a write; FULL makes every commit durable on power loss,
  // which a 201 for an order promises.
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec("PRAGMA foreign_keys=ON");
}

Connection::~Connection() {
  sqlite3_close(db_);
}

void Connection::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string terminated{sql};
  const int rc = sqlite3_exec(db_, terminated.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw SqliteError(rc, "sqlite: " + text);
  }
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      connection_.exec("ROLLBACK");
    } catch (const SqliteError&) {
      // The transaction may already be gone (e.g. after SQLITE_FULL); nothing to undo.
    }
  }
}

void Transaction::commit() {
  connection_.exec("COMMIT");
  done_ = true;
}

}  // namespace boxoffice::store::sqlite
