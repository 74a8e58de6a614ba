#include "database_backends.hpp"

#include "store/mysql/mysql_connection.hpp"
#include "store/mysql/mysql_database.hpp"
#include "store/mysql/mysql_url.hpp"
#include "store/sqlite/sqlite_database.hpp"

#include <cerrno>
#include <cstdlib>
#include <system_error>

namespace boxoffice::test_support {

TempFolder::TempFolder() {
  auto pattern = (std::filesystem::temp_directory_path() / "boxoffice-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  path_ = pattern;
}

TempFolder::~TempFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::shared_ptr<store::Database> fresh_mysql_database(std::size_t connections) {
  const char* url = std::getenv("BOXOFFICE_TEST_MYSQL_URL");  // NOLINT(concurrency-mt-unsafe)
  if (url == nullptr) {
    return nullptr;
  }
  store::mysql::Connection connection{
      store::mysql::ConnectionSettings{.url = store::mysql::parse_mysql_url(url)}};
  connection.ensure_connected();
  // Every table of the schema, not a list: a table a later migration adds is dropped too.
  std::vector<std::string> tables;
  auto listed = connection.prepare(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()");
  while (listed.step()) {
    tables.push_back(listed.text(0));
  }
  connection.exec("SET SESSION foreign_key_checks = 0");
  for (const auto& table : tables) {
    connection.exec("DROP TABLE IF EXISTS `" + table + "`");
  }
  return std::make_shared<store::mysql::MysqlDatabase>(url, connections);
}

std::vector<DatabaseBackend> database_backends(std::size_t connections) {
  return {
      {"Sqlite",
       [connections](const TempFolder& folder) -> std::shared_ptr<store::Database> {
         return std::make_shared<store::sqlite::SqliteDatabase>(
             (folder.path() / "boxoffice.db").string(), connections);
       }},
      {"Mysql", [connections](const TempFolder&) { return fresh_mysql_database(connections); }},
  };
}

}  // namespace boxoffice::test_support
