// Venues and events in MariaDB.
#pragma once

#include "store/catalog_repository.hpp"
#include "store/mysql/mysql_pool.hpp"

namespace boxoffice::store::mysql {

class MysqlCatalogRepository final : public CatalogRepository {
 public:
  explicit MysqlCatalogRepository(MysqlPool& pool) : pool_(pool) {}

  boost::asio::awaitable<void> create_venue(VenueRecord venue) override;
  boost::asio::awaitable<std::optional<VenueRecord>> find_venue(std::string id) override;
  boost::asio::awaitable<void> create_event(EventRecord event) override;
  boost::asio::awaitable<std::optional<EventRecord>> find_event(std::string id) override;
  boost::asio::awaitable<std::vector<EventRecord>> list_events() override;
  boost::asio::awaitable<bool> update_event_status(std::string id, std::string expected,
                                                   std::string status) override;

 private:
  MysqlPool& pool_;
};

}  // namespace boxoffice::store::mysql
