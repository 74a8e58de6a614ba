// The databases a repository suite runs on, one line per backend: SQLite in a folder of the
// test's own, and MariaDB through BOXOFFICE_TEST_MYSQL_URL (the schema owner's URL, which
// scripts/test sets). Each hands out an empty, unmigrated database, or nullptr when its
// backend cannot run here, and the suite skips.
#pragma once

#include "store/database.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace boxoffice::test_support {

// A folder of its own per test, removed afterwards, so no test sees another's rows or files.
class TempFolder {
 public:
  TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  ~TempFolder();

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Shared rather than unique so that a factory can keep what its database needs alive beside
// it with the aliasing constructor.
using DatabaseFactory = std::function<std::shared_ptr<store::Database>(const TempFolder& folder)>;

struct DatabaseBackend {
  std::string name;
  DatabaseFactory make;
};

inline void PrintTo(const DatabaseBackend& backend, std::ostream* out) {
  *out << backend.name;
}

// `connections` per database: enough for a suite's races to run transactions side by side.
std::vector<DatabaseBackend> database_backends(std::size_t connections);

// MariaDB with every table of its schema dropped first (tests of one process run one at a
// time), or nullptr without BOXOFFICE_TEST_MYSQL_URL.
std::shared_ptr<store::Database> fresh_mysql_database(std::size_t connections);

}  // namespace boxoffice::test_support
