// Venues and events in the database of record.
#pragma once

#include "store/sales_records.hpp"

#include <boost/asio/awaitable.hpp>

namespace boxoffice::store {

class CatalogRepository {
 public:
  virtual ~CatalogRepository() = default;

  virtual boost::asio::awaitable<void> create_venue(VenueRecord venue) = 0;
  virtual boost::asio::awaitable<std::optional<VenueRecord>> find_venue(std::string id) = 0;
  virtual boost::asio::awaitable<void> create_event(EventRecord event) = 0;
  virtual boost::asio::awaitable<std::optional<EventRecord>> find_event(std::string id) = 0;
  // Every event, soonest first (cancelled ones included: callers filter).
  virtual boost::asio::awaitable<std::vector<EventRecord>> list_events() = 0;
  // Changes the status only if it is still `expected`; false when it was not.
  virtual boost::asio::awaitable<bool> update_event_status(std::string id, std::string expected,
                                                           std::string status) = 0;
};

}  // namespace boxoffice::store
