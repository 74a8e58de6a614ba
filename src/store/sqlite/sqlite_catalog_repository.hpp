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
  boost::asio::awaitable<std::vector<VenueRecord>> list_venues() override;
  boost::asio::awaitable<void> create_event(EventRecord event) override;
  boost::asio::awaitable<std::optional<EventRecord>> find_event(std::string id) override;
  boost::asio::awaitable<std::vector<EventRecord>> list_events() override;
  boost::asio::awaitable<bool> update_event_status(std::string id, std::string expected,
                                                   std::string status) override;
  boost::asio::awaitable<bool> replace_poster(std::string event_id, std::string poster_json,
                                              TimePoint retire_until) override;
  boost::asio::awaitable<std::vector<RetiredPoster>> retired_posters_due(TimePoint now,
                                                                         int limit) override;
  boost::asio::awaitable<bool> poster_object_in_use(std::string key, TimePoint now,
                                                    std::int64_t except_retired_id) override;
  boost::asio::awaitable<bool> claim_retired_poster(std::int64_t id) override;

 private:
  SqlitePool& pool_;
};

}  // namespace boxoffice::store::sqlite
