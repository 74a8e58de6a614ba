// Venues and events in SQLite.
#pragma once

#include "store/catalog_repository.hpp"
#include "store/sqlite/sqlite_pool.hpp"

namespace boxoffice::store::sqlite {

class SqliteCatalogRepository final : public CatalogRepository {
 public:
  explicit SqliteCatalogRepository(SqlitePool& pool) : pool_(pool) {}

  boost::asio::awaitable<void> create_venue(VenueRecord venue) override;
  boost::asio::awaitable<std::optional<VenueRecord>> find_venue(std::string id) override;
  boost::asio::awaitable<void> create_event(EventRecord event) override;
  boost::asio::awaitable<std::optional<EventRecord>> find_event(std::string id) override;
  boost::asio::awaitable<std::vector<EventRecord>> list_events() override;
  boost::asio::awaitable<bool> update_event_status(std::string id, std::string expected,
                                                   std::string status) override;

 private:
  SqlitePool& pool_;
};

}  // namespace boxoffice::store::sqlite
