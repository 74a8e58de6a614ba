// The embedded default's database of record: one SQLite file.
#pragma once

#include "store/database.hpp"
#include "store/sqlite/sqlite_catalog_repository.hpp"
#include "store/sqlite/sqlite_order_repository.hpp"
#include "store/sqlite/sqlite_pool.hpp"
#include "store/sqlite/sqlite_user_repository.hpp"

#include <memory>
#include <string>

namespace boxoffice::store::sqlite {

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, std::size_t connections);

  void migrate() override;
  boost::asio::awaitable<void> ping() override;
  UserRepository& users() override { return users_; }
  CatalogRepository& catalog() override { return catalog_; }
  OrderRepository& orders() override { return orders_; }

 private:
  SqlitePool pool_;
  SqliteUserRepository users_;
  SqliteCatalogRepository catalog_;
  SqliteOrderRepository orders_;
};

}  // namespace boxoffice::store::sqlite
