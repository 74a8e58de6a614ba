// MariaDB Connector/C calls: connecting with bounded timeouts, the session settings every
// connection gets, prepared statements (cached per connection), and error classification.
#include "store/mysql/mysql_connection.hpp"

#include <errmsg.h>
#include <mysqld_error.h>

#include <charconv>
#include <cstring>
#include <mutex>
#include <new>

namespace boxoffice::store::mysql {
namespace {

// Statements per connection kept prepared. The repositories use a few dozen fixed SQL
// texts, so this is never reached in practice; it bounds memory if that ever changes.
constexpr std::size_t statement_cache_max = 128;
// Column buffers start small and grow to the longest value seen on the connection.
constexpr std::size_t column_buffer_initial = 64;

// The client library's global state must be set up once before threads open connections.
void init_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (mysql_library_init(0, nullptr, nullptr) != 0) {
      throw std::runtime_error("mysql: cannot initialise the client library");
    }
  });
}

bool is_client_error(unsigned code) {
  // 2000-2999 are the classic client errors, 5000-5999 Connector/C's own.
  return (code >= CR_MIN_ERROR && code <= CR_MAX_ERROR) || (code >= 5000 && code <= 5999);
}

unsigned seconds_of(std::chrono::seconds value) {
  return static_cast<unsigned>(value.count());
}

}  // namespace

bool MysqlError::is_constraint() const noexcept {
  switch (code_) {
    case ER_DUP_ENTRY:
    case ER_DUP_ENTRY_WITH_KEY_NAME:
    case ER_NO_REFERENCED_ROW:
    case ER_NO_REFERENCED_ROW_2:
    case ER_ROW_IS_REFERENCED:
    case ER_ROW_IS_REFERENCED_2:
    case ER_BAD_NULL_ERROR:
    case ER_CONSTRAINT_FAILED:
      return true;
    default:
      return false;
  }
}

bool MysqlError::is_lock_conflict() const noexcept {
  return code_ == ER_LOCK_DEADLOCK || code_ == ER_LOCK_WAIT_TIMEOUT;
}

bool MysqlError::is_connection_lost() const noexcept {
  switch (code_) {
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_SERVER_LOST_EXTENDED:
    case CR_SERVER_HANDSHAKE_ERR:
    case CR_ERR_NET_READ:
    case CR_ERR_NET_WRITE:
    case ER_SERVER_SHUTDOWN:
    case ER_CONNECTION_KILLED:
      return true;
    default:
      return false;
  }
}

bool MysqlError::is_unreachable() const noexcept {
  switch (code_) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_UNKNOWN_HOST:
    case ER_CON_COUNT_ERROR:
    case ER_TOO_MANY_USER_CONNECTIONS:
    case ER_OPTION_PREVENTS_STATEMENT:
    case ER_READ_ONLY_MODE:
      return true;
    default:
      return false;
  }
}

bool MysqlError::is_access_denied() const noexcept {
  switch (code_) {
    case ER_DBACCESS_DENIED_ERROR:
    case ER_TABLEACCESS_DENIED_ERROR:
    case ER_COLUMNACCESS_DENIED_ERROR:
    case ER_SPECIFIC_ACCESS_DENIED_ERROR:
      return true;
    default:
      return false;
  }
}

bool MysqlError::breaks_connection() const noexcept {
  return is_client_error(code_) || code_ == ER_SERVER_SHUTDOWN || code_ == ER_CONNECTION_KILLED;
}

// --- Statement ---------------------------------------------------------------------------

Statement::Statement(Connection& connection, std::string_view sql)
    : connection_(&connection), stmt_(connection.acquire_statement(sql)) {
  params_.resize(mysql_stmt_param_count(stmt_));
}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_),
      stmt_(other.stmt_),
      params_(std::move(other.params_)),
      columns_(std::move(other.columns_)),
      column_binds_(std::move(other.column_binds_)),
      executed_(other.executed_),
      has_result_(other.has_result_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ != nullptr) {
    connection_->release_statement(stmt_);
  }
}

Statement::Param& Statement::param(int index) {
  if (index < 1 || static_cast<std::size_t>(index) > params_.size()) {
    throw std::out_of_range("mysql: no parameter " + std::to_string(index));
  }
  return params_[static_cast<std::size_t>(index - 1)];
}

Statement& Statement::bind(int index, std::string_view value) {
  auto& p = param(index);
  p.kind = Param::Kind::text;
  p.text.assign(value);
  p.length = static_cast<unsigned long>(p.text.size());
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  auto& p = param(index);
  p.kind = Param::Kind::integer;
  p.integer = value;
  return *this;
}

Statement& Statement::bind_null(int index) {
  param(index).kind = Param::Kind::null;
  return *this;
}

void Statement::fail() {
  connection_->fail(stmt_);
}

void Statement::execute() {
  if (connection_->broken()) {
    throw MysqlError(CR_SERVER_GONE_ERROR, "mysql: the connection broke earlier");
  }
  if (has_result_) {
    mysql_stmt_free_result(stmt_);
    has_result_ = false;
  }
  std::vector<MYSQL_BIND> binds(params_.size());
  for (std::size_t i = 0; i < params_.size(); ++i) {
    auto& p = params_[i];
    auto& b = binds[i];
    std::memset(&b, 0, sizeof b);
    switch (p.kind) {
      case Param::Kind::unset:
        throw std::logic_error("mysql: parameter " + std::to_string(i + 1) + " is not bound");
      case Param::Kind::null:
        b.buffer_type = MYSQL_TYPE_NULL;
        break;
      case Param::Kind::integer:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = &p.integer;
        break;
      case Param::Kind::text:
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = p.text.data();
        b.buffer_length = p.length;
        b.length = &p.length;
        break;
    }
  }
  if (!binds.empty() && mysql_stmt_bind_param(stmt_, binds.data()) != 0) {
    fail();
  }
  if (mysql_stmt_execute(stmt_) != 0) {
    fail();
  }
  const unsigned fields = mysql_stmt_field_count(stmt_);
  if (fields == 0) {
    connection_->changes_ = mysql_stmt_affected_rows(stmt_);
    return;
  }
  // The whole result comes to the client at once, which frees the connection for the
  // next statement while these rows are read (e.g. an order's tickets per order row).
  if (mysql_stmt_store_result(stmt_) != 0) {
    fail();
  }
  has_result_ = true;
  bind_columns(fields);
}

void Statement::bind_columns(unsigned count) {
  columns_.resize(count);
  column_binds_.assign(count, MYSQL_BIND{});
  for (unsigned i = 0; i < count; ++i) {
    auto& column = columns_[i];
    if (column.buffer.empty()) {
      column.buffer.resize(column_buffer_initial);
    }
    auto& b = column_binds_[i];
    std::memset(&b, 0, sizeof b);
    b.buffer_type = MYSQL_TYPE_STRING;
    b.buffer = column.buffer.data();
    b.buffer_length = static_cast<unsigned long>(column.buffer.size());
    b.length = &column.length;
    b.is_null = &column.null;
    b.error = &column.truncated;
  }
  if (mysql_stmt_bind_result(stmt_, column_binds_.data()) != 0) {
    fail();
  }
}

// Values longer than their buffer arrive cut; each is fetched again into a buffer of its
// full length, and the bigger buffers are bound for the rows that follow.
void Statement::fetch_truncated() {
  for (unsigned i = 0; i < columns_.size(); ++i) {
    auto& column = columns_[i];
    if (column.null != 0 || column.length <= column.buffer.size()) {
      continue;
    }
    column.buffer.resize(column.length);
    auto& b = column_binds_[i];
    b.buffer = column.buffer.data();
    b.buffer_length = static_cast<unsigned long>(column.buffer.size());
    if (mysql_stmt_fetch_column(stmt_, &b, i, 0) != 0) {
      fail();
    }
  }
  if (mysql_stmt_bind_result(stmt_, column_binds_.data()) != 0) {
    fail();
  }
}

bool Statement::step() {
  if (!executed_) {
    execute();
    executed_ = true;
  }
  if (!has_result_) {
    return false;
  }
  const int rc = mysql_stmt_fetch(stmt_);
  if (rc == 0) {
    return true;
  }
  if (rc == MYSQL_NO_DATA) {
    return false;
  }
  if (rc == MYSQL_DATA_TRUNCATED) {
    fetch_truncated();
    return true;
  }
  fail();
}

void Statement::run() {
  execute();
  executed_ = false;
}

std::string Statement::text(int column) const {
  const auto& c = columns_.at(static_cast<std::size_t>(column));
  if (c.null != 0) {
    return {};
  }
  return std::string{c.buffer.data(), std::min<std::size_t>(c.length, c.buffer.size())};
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return text(column);
}

std::int64_t Statement::integer(int column) const {
  if (is_null(column)) {
    return 0;
  }
  const auto value = text(column);
  std::int64_t parsed = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (error != std::errc{} || end != value.data() + value.size()) {
    throw std::runtime_error("mysql: column " + std::to_string(column) +
                             " is not an integer: " + value);
  }
  return parsed;
}

bool Statement::is_null(int column) const {
  return columns_.at(static_cast<std::size_t>(column)).null != 0;
}

// --- Connection --------------------------------------------------------------------------

Connection::Connection(ConnectionSettings settings) : settings_(std::move(settings)) {
  init_library();
}

Connection::~Connection() {
  disconnect();
}

void Connection::disconnect() noexcept {
  // Closing the connection first detaches its statements, so closing them sends nothing
  // over a socket that may be dead.
  if (mysql_ != nullptr) {
    mysql_close(mysql_);
    mysql_ = nullptr;
  }
  for (auto& [sql, cached] : statements_) {
    mysql_stmt_close(cached.stmt);
  }
  statements_.clear();
  for (auto* stmt : uncached_) {
    mysql_stmt_close(stmt);
  }
  uncached_.clear();
  broken_ = false;
  in_transaction_ = false;
  changes_ = 0;
}

void Connection::ensure_connected() {
  if (mysql_ != nullptr && !broken_) {
    return;
  }
  disconnect();
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) {
    throw std::bad_alloc();
  }
  const unsigned connect_timeout = seconds_of(settings_.connect_timeout);
  const unsigned read_timeout = seconds_of(settings_.read_timeout);
  const unsigned write_timeout = seconds_of(settings_.write_timeout);
  // TCP even for "localhost", which would otherwise mean a socket path nobody configured.
  const unsigned protocol = MYSQL_PROTOCOL_TCP;
  // No LOAD DATA LOCAL: a hostile server could otherwise read this host's files.
  const unsigned local_infile = 0;
  // Reconnecting silently would drop session settings and open transactions; the pool
  // reconnects explicitly instead.
  const my_bool reconnect = 0;
  mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_options(mysql_, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  mysql_options(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout);
  mysql_options(mysql_, MYSQL_OPT_PROTOCOL, &protocol);
  mysql_options(mysql_, MYSQL_OPT_LOCAL_INFILE, &local_infile);
  mysql_options(mysql_, MYSQL_OPT_RECONNECT, &reconnect);
  mysql_options(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");

  const auto& url = settings_.url;
  // CLIENT_FOUND_ROWS: an UPDATE reports the rows it matched, as SQLite does, so a
  // conditional write that sets a value it already had still counts as done.
  if (mysql_real_connect(mysql_, url.host.c_str(), url.user.c_str(), url.password.c_str(),
                         url.database.c_str(), url.port, nullptr, CLIENT_FOUND_ROWS) == nullptr) {
    const unsigned code = mysql_errno(mysql_);
    const std::string message = mysql_error(mysql_);
    mysql_close(mysql_);
    mysql_ = nullptr;
    throw MysqlError(code, "mysql: cannot connect to " + url.redacted() + ": " + message);
  }
  try {
    // READ COMMITTED: no statement relies on a snapshot, and it takes no gap locks, so
    // concurrent orders for different seats do not block each other.
    exec("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    // Strict mode turns a value that does not fit into an error instead of silently
    // truncating it.
    exec(
        "SET SESSION sql_mode = "
        "'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
        "NO_ENGINE_SUBSTITUTION', innodb_lock_wait_timeout = " +
        std::to_string(settings_.lock_wait_timeout.count()) +
        ", lock_wait_timeout = " + std::to_string(settings_.metadata_lock_wait_timeout.count()));
  } catch (...) {
    disconnect();
    throw;
  }
}

MYSQL* Connection::handle() {
  if (mysql_ == nullptr || broken_) {
    throw MysqlError(CR_SERVER_GONE_ERROR, "mysql: not connected");
  }
  return mysql_;
}

void Connection::exec(std::string_view sql) {
  auto* mysql = handle();
  if (mysql_real_query(mysql, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    fail(nullptr);
  }
  // Statements that return rows are not run here, but a result must never be left
  // pending on the connection.
  if (MYSQL_RES* result = mysql_store_result(mysql); result != nullptr) {
    mysql_free_result(result);
  } else if (mysql_field_count(mysql) != 0) {
    fail(nullptr);
  }
  changes_ = mysql_affected_rows(mysql);
}

MYSQL_STMT* Connection::acquire_statement(std::string_view sql) {
  auto* mysql = handle();
  const std::string key{sql};
  auto found = statements_.find(key);
  if (found != statements_.end() && !found->second.in_use) {
    found->second.in_use = true;
    return found->second.stmt;
  }
  MYSQL_STMT* stmt = mysql_stmt_init(mysql);
  if (stmt == nullptr) {
    throw std::bad_alloc();
  }
  if (mysql_stmt_prepare(stmt, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    const unsigned code = mysql_stmt_errno(stmt);
    const std::string message = mysql_stmt_error(stmt);
    mysql_stmt_close(stmt);
    MysqlError error(code, "mysql: " + message + " (" + std::to_string(code) + ")");
    if (error.breaks_connection()) {
      broken_ = true;
    }
    throw error;
  }
  if (found == statements_.end() && statements_.size() < statement_cache_max) {
    statements_.emplace(key, CachedStatement{stmt, true});
  } else {
    uncached_.push_back(stmt);
  }
  return stmt;
}

void Connection::release_statement(MYSQL_STMT* stmt) noexcept {
  for (auto it = uncached_.begin(); it != uncached_.end(); ++it) {
    if (*it == stmt) {
      mysql_stmt_close(stmt);
      uncached_.erase(it);
      return;
    }
  }
  for (auto& [sql, cached] : statements_) {
    if (cached.stmt == stmt) {
      mysql_stmt_free_result(stmt);
      cached.in_use = false;
      return;
    }
  }
}

void Connection::fail(MYSQL_STMT* stmt) {
  const unsigned code = stmt != nullptr ? mysql_stmt_errno(stmt) : mysql_errno(mysql_);
  const std::string message = stmt != nullptr ? mysql_stmt_error(stmt) : mysql_error(mysql_);
  MysqlError probe(code, message);
  // Outside a transaction (or during COMMIT) a lost connection leaves a write's fate
  // unknown; inside one, the server rolls the transaction back when the client goes.
  const bool unknown = probe.is_connection_lost() && !in_transaction_;
  if (probe.breaks_connection()) {
    broken_ = true;
  }
  throw MysqlError(code, "mysql: " + message + " (" + std::to_string(code) + ")", unknown);
}

// --- Transaction -------------------------------------------------------------------------

Transaction::Transaction(Connection& connection) : connection_(connection) {
  // Set first: if the connection dies during START TRANSACTION, nothing was written.
  connection_.in_transaction_ = true;
  try {
    connection_.exec("START TRANSACTION");
  } catch (...) {
    connection_.in_transaction_ = false;
    throw;
  }
}

Transaction::~Transaction() {
  if (done_) {
    return;
  }
  if (!connection_.broken()) {
    try {
      connection_.exec("ROLLBACK");
    } catch (const MysqlError&) {
      // The connection is now marked broken and will be reopened: the server rolls back
      // a transaction whose connection is gone.
    }
  }
  connection_.in_transaction_ = false;
}

void Transaction::commit() {
  // Cleared first: if the connection dies during COMMIT, whether it committed is unknown.
  connection_.in_transaction_ = false;
  connection_.exec("COMMIT");
  done_ = true;
}

}  // namespace boxoffice::store::mysql
