// Read-mostly catalog data (venues with their seat maps, events with their prices) served
// from memory. Venues never change, so they are kept; events are kept for a short time and
// dropped at once when this instance changes them, so a rush of readers never reaches the
// database.
#pragma once

#include "common/clock.hpp"
#include "domain/event_rules.hpp"
#include "domain/money.hpp"
#include "domain/seat_map.hpp"
#include "store/catalog_repository.hpp"

#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace boxoffice::sales {

struct VenueEntry {
  store::VenueRecord record;
  domain::SeatMap map;
  // Each seat's JSON up to its status, e.g. {"id":"s0-r0-1",...,"status":" — so a seat
  // map answer for a stadium is string appends, not 50,000 JSON objects.
  std::vector<std::string> seat_json_prefixes;
};

// An event's JSON as last rendered: it changes only with the seats available, so a page
// that a crowd refreshes is rendered once per change instead of once per read.
class RenderedEvent {
 public:
  std::shared_ptr<const std::string> get_or_render(std::int64_t available,
                                                   const std::function<std::string()>& render);

 private:
  std::mutex mutex_;
  std::int64_t available_ = -1;
  std::shared_ptr<const std::string> text_;
};

struct EventEntry {
  store::EventRecord record;
  std::shared_ptr<const VenueEntry> venue;
  domain::PriceList prices;
  domain::EventStatus stored_status;
  boost::json::object prices_json;
  // The contract's poster object with URLs, or null.
  boost::json::value poster_json;
  std::shared_ptr<RenderedEvent> rendered = std::make_shared<RenderedEvent>();
};

class Catalog {
 public:
  // Poster URLs start with `poster_base_url` (e.g. "https://cdn.example.com", or "" for
  // paths on this host).
  Catalog(store::CatalogRepository& repository, const Clock& clock,
          std::chrono::milliseconds event_ttl, std::string poster_base_url = "");

  boost::asio::awaitable<std::shared_ptr<const VenueEntry>> venue(const std::string& id);
  boost::asio::awaitable<std::shared_ptr<const EventEntry>> event(const std::string& id);
  // Every event, soonest first, cancelled ones included.
  boost::asio::awaitable<std::vector<std::shared_ptr<const EventEntry>>> events();

  void invalidate_event(const std::string& id);

 private:
  boost::asio::awaitable<std::shared_ptr<const EventEntry>> build(store::EventRecord record);

  struct Cached {
    std::shared_ptr<const EventEntry> entry;
    TimePoint fetched_at;
  };

  store::CatalogRepository& repository_;
  const Clock& clock_;
  std::chrono::milliseconds event_ttl_;
  std::string poster_base_url_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const VenueEntry>> venues_;
  std::unordered_map<std::string, Cached> events_;
  std::optional<std::vector<std::shared_ptr<const EventEntry>>> list_;
  std::atomic<std::uint64_t> generation_{0};
  TimePoint list_fetched_at_;
};

// JSON for one seat without its status ({"id","section","row","number","category"} or
// {"id","area","category"}).
boost::json::object seat_json(const domain::Seat& seat);

}  // namespace boxoffice::sales
