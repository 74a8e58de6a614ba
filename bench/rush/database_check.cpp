#include "rush/database_check.hpp"

#include "store/mysql/mysql_connection.hpp"
#include "store/mysql/mysql_url.hpp"
#include "store/sqlite/sqlite_connection.hpp"

#include <filesystem>
#include <stdexcept>

namespace boxoffice::rush {
namespace {

template <typename Connection>
std::vector<Row> run_query(Connection& connection, std::string_view sql,
                           const std::vector<std::string>& params, int columns) {
  auto statement = connection.prepare(sql);
  for (std::size_t i = 0; i < params.size(); ++i) {
    statement.bind(static_cast<int>(i + 1), std::string_view{params[i]});
  }
  std::vector<Row> rows;
  while (statement.step()) {
    Row row;
    row.reserve(static_cast<std::size_t>(columns));
    for (int column = 0; column < columns; ++column) {
      row.push_back(statement.optional_text(column).value_or(""));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const std::string& path) : path_(path), connection_(path) {}

  std::vector<Row> query(std::string_view sql, const std::vector<std::string>& params,
                         int columns) override {
    return run_query(connection_, sql, params, columns);
  }
  [[nodiscard]] std::string description() const override { return "sqlite:" + path_; }

 private:
  std::string path_;
  store::sqlite::Connection connection_;
};

class MysqlDatabase final : public Database {
 public:
  explicit MysqlDatabase(store::mysql::MysqlUrl url)
      : redacted_(url.redacted()),
        connection_(store::mysql::ConnectionSettings{.url = std::move(url)}) {
    connection_.ensure_connected();
  }

  std::vector<Row> query(std::string_view sql, const std::vector<std::string>& params,
                         int columns) override {
    return run_query(connection_, sql, params, columns);
  }
  [[nodiscard]] std::string description() const override { return redacted_; }

 private:
  std::string redacted_;
  store::mysql::Connection connection_;
};

}  // namespace

std::unique_ptr<Database> open_database(const std::string& url) {
  const std::string_view text = url;
  if (text.starts_with("mysql://")) {
    try {
      return std::make_unique<MysqlDatabase>(store::mysql::parse_mysql_url(text));
    } catch (const std::invalid_argument& error) {
      throw std::runtime_error(std::string{"--database-url: "} + error.what());
    } catch (const std::exception& error) {
      throw std::runtime_error(std::string{"cannot open the database: "} + error.what());
    }
  }
  std::string path{text};
  for (const std::string_view prefix : {"sqlite://", "sqlite:"}) {
    if (text.starts_with(prefix)) {
      path = std::string{text.substr(prefix.size())};
      break;
    }
  }
  if (path.empty() || path.find("://") != std::string::npos) {
    throw std::runtime_error(
        "--database-url: use mysql://USER:PASSWORD@HOST:PORT/DB, "
        "sqlite:PATH or a path to the SQLite file");
  }
  // The server's own layer would create an empty database for a mistyped path.
  if (!std::filesystem::is_regular_file(path)) {
    throw std::runtime_error("--database-url: no SQLite file at " + path);
  }
  return std::make_unique<SqliteDatabase>(path);
}

}  // namespace boxoffice::rush
