// The database of record, whatever the backend: schema migrations, health, and the
// repositories that hold users, events, orders and tickets.
#pragma once

#include "store/catalog_repository.hpp"
#include "store/order_repository.hpp"
#include "store/user_repository.hpp"

#include <boost/asio/awaitable.hpp>

namespace boxoffice::store {

class Database {
 public:
  virtual ~Database() = default;

  // Brings the schema to the newest version; safe to run on every start.
  virtual void migrate() = 0;
  // Throws when the database cannot answer, for /readyz.
  virtual boost::asio::awaitable<void> ping() = 0;

  virtual UserRepository& users() = 0;
  virtual CatalogRepository& catalog() = 0;
  virtual OrderRepository& orders() = 0;
};

}  // namespace boxoffice::store
