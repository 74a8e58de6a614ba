#include "sales/catalog.hpp"

#include "posters/poster_record.hpp"
#include "sales/venue_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace boxoffice::sales {
namespace {

std::shared_ptr<const VenueEntry> make_venue(store::VenueRecord record) {
  auto map = domain::build_seat_map(layout_from_json(record.layout_json));
  if (!map) {
    throw std::runtime_error("stored venue " + record.id + " has an invalid layout");
  }
  std::vector<std::string> prefixes;
  prefixes.reserve(map->size());
  for (const auto& seat : map->seats()) {
    auto text = boost::json::serialize(seat_json(seat));
    text.pop_back();
    text += R"(,"status":")";
    prefixes.push_back(std::move(text));
  }
  return std::make_shared<const VenueEntry>(
      VenueEntry{std::move(record), std::move(*map), std::move(prefixes)});
}

}  // namespace

boost::json::object seat_json(const domain::Seat& seat) {
  if (seat.kind == domain::SeatKind::area_place) {
    return {{"id", seat.id}, {"area", seat.area}, {"category", seat.category}};
  }
  return {{"id", seat.id},
          {"section", seat.section},
          {"row", seat.row},
          {"number", seat.number},
          {"category", seat.category}};
}

Catalog::Catalog(store::CatalogRepository& repository, const Clock& clock,
                 std::chrono::milliseconds event_ttl, std::string poster_base_url)
    : repository_(repository),
      clock_(clock),
      event_ttl_(event_ttl),
      poster_base_url_(std::move(poster_base_url)) {}

boost::asio::awaitable<std::shared_ptr<const VenueEntry>> Catalog::venue(const std::string& id) {
  {
    std::scoped_lock lock{mutex_};
    if (auto it = venues_.find(id); it != venues_.end()) {
      co_return it->second;
    }
  }
  auto record = co_await repository_.find_venue(id);
  if (!record) {
    co_return nullptr;
  }
  auto entry = make_venue(std::move(*record));
  std::scoped_lock lock{mutex_};
  venues_.emplace(id, entry);
  co_return entry;
}

boost::asio::awaitable<std::shared_ptr<const EventEntry>> Catalog::build(
    store::EventRecord record) {
  auto venue_entry = co_await venue(record.venue_id);
  if (!venue_entry) {
    throw std::runtime_error("event " + record.id + " refers to a missing venue");
  }
  auto prices_json = boost::json::parse(record.prices_json).as_object();
  std::vector<domain::PriceEntry> entries;
  for (const auto& [category, amount] : prices_json) {
    entries.push_back({std::string{category}, amount.to_number<std::int64_t>()});
  }
  auto prices = domain::make_price_list(venue_entry->map, entries);
  if (!prices) {
    throw std::runtime_error("event " + record.id + " has prices that do not fit its venue");
  }
  const auto status =
      domain::parse_event_status(record.status).value_or(domain::EventStatus::scheduled);
  boost::json::value poster = nullptr;
  if (record.poster_json) {
    if (auto stored = posters::parse_stored_poster(*record.poster_json)) {
      poster = posters::public_poster_json(*stored, poster_base_url_);
    }
  }
  co_return std::make_shared<const EventEntry>(
      EventEntry{std::move(record), std::move(venue_entry), std::move(*prices), status,
                 std::move(prices_json), std::move(poster)});
}

std::shared_ptr<const std::string> RenderedEvent::get_or_render(
    std::int64_t available, const std::function<std::string()>& render) {
  {
    std::scoped_lock lock{mutex_};
    if (text_ && available_ == available) {
      return text_;
    }
  }
  auto text = std::make_shared<const std::string>(render());
  std::scoped_lock lock{mutex_};
  available_ = available;
  text_ = text;
  return text;
}

boost::asio::awaitable<std::shared_ptr<const EventEntry>> Catalog::event(const std::string& id) {
  const auto now = clock_.now();
  {
    std::scoped_lock lock{mutex_};
    if (auto it = events_.find(id);
        it != events_.end() && now - it->second.fetched_at < event_ttl_) {
      co_return it->second.entry;
    }
  }
  const auto generation = generation_.load();
  auto record = co_await repository_.find_event(id);
  if (!record) {
    co_return nullptr;
  }
  auto entry = co_await build(std::move(*record));
  std::scoped_lock lock{mutex_};
  // A change made while this read was under way must not be covered by the older read.
  if (generation == generation_.load()) {
    events_[id] = Cached{entry, now};
  }
  co_return entry;
}

boost::asio::awaitable<std::vector<std::shared_ptr<const EventEntry>>> Catalog::events() {
  const auto now = clock_.now();
  {
    std::scoped_lock lock{mutex_};
    if (list_ && now - list_fetched_at_ < event_ttl_) {
      co_return *list_;
    }
  }
  const auto generation = generation_.load();
  std::vector<std::shared_ptr<const EventEntry>> entries;
  for (auto& record : co_await repository_.list_events()) {
    entries.push_back(co_await build(std::move(record)));
  }
  std::scoped_lock lock{mutex_};
  if (generation != generation_.load()) {
    co_return entries;
  }
  list_ = entries;
  list_fetched_at_ = now;
  for (const auto& entry : entries) {
    events_[entry->record.id] = Cached{entry, now};
  }
  co_return entries;
}

void Catalog::invalidate_event(const std::string& id) {
  std::scoped_lock lock{mutex_};
  ++generation_;
  events_.erase(id);
  list_.reset();
}

}  // namespace boxoffice::sales
