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
  // Every venue, by name.
  virtual boost::asio::awaitable<std::vector<VenueRecord>> list_venues() = 0;
  virtual boost::asio::awaitable<void> create_event(EventRecord event) = 0;
  virtual boost::asio::awaitable<std::optional<EventRecord>> find_event(std::string id) = 0;
  // Every event, soonest first (cancelled ones included: callers filter).
  virtual boost::asio::awaitable<std::vector<EventRecord>> list_events() = 0;
  // Changes the status only if it is still `expected`; false when it was not.
  virtual boost::asio::awaitable<bool> update_event_status(std::string id, std::string expected,
                                                           std::string status) = 0;

  // Posters. A replaced poster's stored JSON is kept as retired until `delete_after`, so
  // its files outlive every page that may still show it; a sweeper then removes the files
  // no current poster uses and forgets the row.
  // Sets the event's poster; false when there is no such event (nothing changes then).
  virtual boost::asio::awaitable<bool> replace_poster(std::string event_id, std::string poster_json,
                                                      TimePoint retire_until) = 0;
  virtual boost::asio::awaitable<std::vector<RetiredPoster>> retired_posters_due(TimePoint now,
                                                                                 int limit) = 0;
  // True when some event's current poster refers to the object `key`, or a retired poster
  // other than `except_retired_id` that is still in its grace period at `now` (a page may
  // still show it).
  virtual boost::asio::awaitable<bool> poster_object_in_use(std::string key, TimePoint now,
                                                            std::int64_t except_retired_id) = 0;
  // Removes the row; true for the one caller that removed it, so that of several sweepers
  // only one handles a retired poster.
  virtual boost::asio::awaitable<bool> claim_retired_poster(std::int64_t id) = 0;
};

}  // namespace boxoffice::store
