// The production database of record: MariaDB through a bounded pool of connections.
#pragma once

#include "store/database.hpp"
#include "store/mysql/mysql_catalog_repository.hpp"
#include "store/mysql/mysql_order_repository.hpp"
#include "store/mysql/mysql_pool.hpp"
#include "store/mysql/mysql_url.hpp"
#include "store/mysql/mysql_user_repository.hpp"

#include <string>

namespace boxoffice::store::mysql {

class MysqlDatabase final : public Database {
 public:
  // `url` is mysql://USER:PASSWORD@HOST:PORT/DB (std::invalid_argument when it is not);
  // `connections` is both the pool's connections and its threads. Nothing connects yet:
  // migrate() and the first request do. New orders and their confirmations are committed
  // in groups of up to `commit_batch` (1: one per commit), each kind on at most a quarter
  // of the connections, so reads always find one.
  MysqlDatabase(const std::string& url, std::size_t connections, std::size_t commit_batch = 64);
  MysqlDatabase(const MysqlDatabase&) = delete;
  MysqlDatabase& operator=(const MysqlDatabase&) = delete;
  // The repositories' queued group commits run on the pool's threads and reference them,
  // so the threads finish before the repositories go.
  ~MysqlDatabase() override { pool_.join(); }

  // Runs on the caller's thread with a connection of its own, whose read timeout allows
  // for DDL on large tables.
  void migrate() override;
  boost::asio::awaitable<void> ping() override;
  UserRepository& users() override { return users_; }
  CatalogRepository& catalog() override { return catalog_; }
  OrderRepository& orders() override { return orders_; }

 private:
  MysqlUrl url_;
  MysqlPool pool_;
  MysqlUserRepository users_;
  MysqlCatalogRepository catalog_;
  MysqlOrderRepository orders_;
};

}  // namespace boxoffice::store::mysql
