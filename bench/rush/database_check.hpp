// Read access to the server's database of record, for `verify`: the same URL forms as the
// server's BOXOFFICE_DATABASE_URL and the project's own SQLite and MariaDB layers, so the
// checks read exactly the tables the server writes.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace boxoffice::rush {

using Row = std::vector<std::string>;

class Database {
 public:
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  virtual ~Database() = default;

  // Every column as text (NULL as ""); `columns` is how many the statement selects.
  virtual std::vector<Row> query(std::string_view sql, const std::vector<std::string>& params,
                                 int columns) = 0;
  [[nodiscard]] virtual std::string description() const = 0;
};

// mysql://USER:PASSWORD@HOST:PORT/DB, sqlite:PATH, sqlite://PATH or a plain file path.
// Throws std::runtime_error naming what is wrong (never the password).
std::unique_ptr<Database> open_database(const std::string& url);

}  // namespace boxoffice::rush
