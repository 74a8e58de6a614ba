// A thin RAII layer over MariaDB Connector/C: one connection with its session settings,
// prepared statements with typed binds and text columns, and transactions. Errors become
// MysqlError carrying the server's or the client library's error number, classified so
// that callers can tell "retry", "unavailable" and "your data broke a rule" apart.
#pragma once

#include "store/mysql/mysql_url.hpp"

#include <mysql.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace boxoffice::store::mysql {

class MysqlError : public std::runtime_error {
 public:
  MysqlError(unsigned code, const std::string& message, bool outcome_unknown = false)
      : std::runtime_error(message), code_(code), outcome_unknown_(outcome_unknown) {}

  [[nodiscard]] unsigned code() const noexcept { return code_; }

  // A unique key, foreign key, NOT NULL or CHECK rule refused the row.
  [[nodiscard]] bool is_constraint() const noexcept;
  // The server chose this transaction as a deadlock victim, or a row lock wait timed out:
  // nothing of the transaction is left, so running it again is safe.
  [[nodiscard]] bool is_lock_conflict() const noexcept;
  // The connection died under us (server restarted, network cut, read timeout).
  [[nodiscard]] bool is_connection_lost() const noexcept;
  // No usable connection could be had: refused, unknown host, too many connections, or a
  // server that only accepts reads (a failover in progress).
  [[nodiscard]] bool is_unreachable() const noexcept;
  // The account lacks a right (e.g. DDL for the application account).
  [[nodiscard]] bool is_access_denied() const noexcept;
  // The connection cannot be used after this error and must be opened again.
  [[nodiscard]] bool breaks_connection() const noexcept;
  // The connection was lost while a write may have been committing (a COMMIT, or a write
  // outside a transaction): it may or may not have taken effect.
  [[nodiscard]] bool outcome_unknown() const noexcept { return outcome_unknown_; }

 private:
  unsigned code_;
  bool outcome_unknown_;
};

struct ConnectionSettings {
  MysqlUrl url;
  // A dead or unreachable server fails a request within these, never hangs it.
  std::chrono::seconds connect_timeout{2};
  // Every statement here is small: 3 s without an answer means a frozen server, and the
  // request should get its 503 rather than wait for it.
  std::chrono::seconds read_timeout{3};
  std::chrono::seconds write_timeout{3};
  // Row lock waits give up (error 1205, retried) before the read timeout would drop the
  // connection with the statement's outcome unknown.
  std::chrono::seconds lock_wait_timeout{2};
  // Metadata lock waits: DDL queued behind a long transaction would stall every query on
  // the table, so it gives up instead.
  std::chrono::seconds metadata_lock_wait_timeout{10};
};

class Connection;

// A prepared statement, borrowed from its connection's cache. Parameters are numbered from
// 1, as the `?` placeholders appear. Every column is read as text (integers are parsed),
// which keeps the binding code to one shape whatever the column type.
class Statement {
 public:
  Statement(Connection& connection, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_null(int index);

  // Executes on the first call, then true while a row is available.
  bool step();
  // For statements that return no rows; the rows matched are in Connection::changes().
  // The statement may then be bound and run again.
  void run();

  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] std::optional<std::string> optional_text(int column) const;
  [[nodiscard]] std::int64_t integer(int column) const;
  [[nodiscard]] bool is_null(int column) const;

 private:
  struct Param {
    enum class Kind { unset, null, integer, text } kind = Kind::unset;
    std::int64_t integer = 0;
    std::string text;
    unsigned long length = 0;
  };
  struct Column {
    std::vector<char> buffer;
    unsigned long length = 0;
    my_bool null = 0;
    my_bool truncated = 0;
  };

  Param& param(int index);
  void execute();
  void bind_columns(unsigned count);
  void fetch_truncated();
  [[noreturn]] void fail();

  Connection* connection_;
  MYSQL_STMT* stmt_;
  std::vector<Param> params_;
  std::vector<Column> columns_;
  std::vector<MYSQL_BIND> column_binds_;
  bool executed_ = false;
  bool has_result_ = false;
};

class Connection {
 public:
  // Does not connect: the first use does, so a server that is down at start-up delays
  // nothing but the requests that need it.
  explicit Connection(ConnectionSettings settings);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Connects when there is no connection or the last one broke. Throws MysqlError.
  void ensure_connected();
  // Closes the connection; the next ensure_connected() opens a new one.
  void disconnect() noexcept;
  [[nodiscard]] bool broken() const noexcept { return broken_; }

  // Runs SQL that returns no rows over the text protocol (DDL, transaction control).
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement{*this, sql}; }
  // Rows matched (not only changed: CLIENT_FOUND_ROWS) by the last Statement::run().
  [[nodiscard]] std::uint64_t changes() const noexcept { return changes_; }

 private:
  friend class Statement;
  friend class Transaction;

  struct CachedStatement {
    MYSQL_STMT* stmt = nullptr;
    bool in_use = false;
  };

  MYSQL* handle();
  MYSQL_STMT* acquire_statement(std::string_view sql);
  void release_statement(MYSQL_STMT* stmt) noexcept;
  // Throws the error of the last call on `stmt` (or on the connection when null), marking
  // the connection broken when the error says so.
  [[noreturn]] void fail(MYSQL_STMT* stmt);

  ConnectionSettings settings_;
  MYSQL* mysql_ = nullptr;
  bool broken_ = false;
  // Set from just before START TRANSACTION until just before COMMIT or after ROLLBACK:
  // while it is set, a lost connection rolls everything back on the server.
  bool in_transaction_ = false;
  std::uint64_t changes_ = 0;
  std::unordered_map<std::string, CachedStatement> statements_;
  // Statements prepared while their cached twin was in use, closed when released.
  std::vector<MYSQL_STMT*> uncached_;
};

// START TRANSACTION ... COMMIT; rolls back unless committed. Rows a transaction must not
// let change under it are locked by its writes (conditional UPDATEs, unique keys), never
// by relying on REPEATABLE READ snapshots: sessions run READ COMMITTED.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace boxoffice::store::mysql
