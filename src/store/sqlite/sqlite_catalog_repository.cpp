#include "store/sqlite/sqlite_catalog_repository.hpp"

#include "common/time_format.hpp"

namespace boxoffice::store::sqlite {
namespace {

constexpr std::string_view select_event =
    "SELECT id, venue_id, title, artist, starts_at, sale_starts_at, status, currency, prices, "
    "max_tickets_per_order, hold_seconds, poster, created_at FROM events ";

EventRecord read_event(const Statement& row) {
  return EventRecord{
      .id = row.text(0),
      .venue_id = row.text(1),
      .title = row.text(2),
      .artist = row.text(3),
      .starts_at = from_unix_seconds(row.integer(4)),
      .sale_starts_at = from_unix_seconds(row.integer(5)),
      .status = row.text(6),
      .currency = row.text(7),
      .prices_json = row.text(8),
      .max_tickets_per_order = static_cast<int>(row.integer(9)),
      .hold_seconds = static_cast<int>(row.integer(10)),
      .poster_json = row.optional_text(11),
      .created_at = from_unix_seconds(row.integer(12)),
  };
}

}  // namespace

boost::asio::awaitable<void> SqliteCatalogRepository::create_venue(VenueRecord venue) {
  auto insert = [venue = std::move(venue)](Connection& connection) {
    connection
        .prepare(
            "INSERT INTO venues (id, name, layout, capacity, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(1, venue.id)
        .bind(2, venue.name)
        .bind(3, venue.layout_json)
        .bind(4, venue.capacity)
        .bind(5, to_unix_seconds(venue.created_at))
        .run();
  };
  co_await pool_.run(std::move(insert));
}

boost::asio::awaitable<std::optional<VenueRecord>> SqliteCatalogRepository::find_venue(
    std::string id) {
  auto query = [id = std::move(id)](Connection& connection) -> std::optional<VenueRecord> {
    auto row = connection.prepare(
        "SELECT id, name, layout, capacity, created_at FROM venues WHERE id = ?");
    row.bind(1, id);
    if (!row.step()) {
      return std::nullopt;
    }
    return VenueRecord{row.text(0), row.text(1), row.text(2), row.integer(3),
                       from_unix_seconds(row.integer(4))};
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<std::vector<VenueRecord>> SqliteCatalogRepository::list_venues() {
  auto query = [](Connection& connection) {
    std::vector<VenueRecord> venues;
    auto row = connection.prepare(
        "SELECT id, name, layout, capacity, created_at FROM venues ORDER BY name, id");
    while (row.step()) {
      venues.push_back(VenueRecord{row.text(0), row.text(1), row.text(2), row.integer(3),
                                   from_unix_seconds(row.integer(4))});
    }
    return venues;
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<void> SqliteCatalogRepository::create_event(EventRecord event) {
  auto insert = [event = std::move(event)](Connection& connection) {
    auto statement = connection.prepare(
        "INSERT INTO events (id, venue_id, title, artist, starts_at, sale_starts_at, status, "
        "currency, prices, max_tickets_per_order, hold_seconds, poster, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    statement.bind(1, event.id)
        .bind(2, event.venue_id)
        .bind(3, event.title)
        .bind(4, event.artist)
        .bind(5, to_unix_seconds(event.starts_at))
        .bind(6, to_unix_seconds(event.sale_starts_at))
        .bind(7, event.status)
        .bind(8, event.currency)
        .bind(9, event.prices_json)
        .bind(10, std::int64_t{event.max_tickets_per_order})
        .bind(11, std::int64_t{event.hold_seconds})
        .bind(13, to_unix_seconds(event.created_at));
    if (event.poster_json) {
      statement.bind(12, *event.poster_json);
    } else {
      statement.bind_null(12);
    }
    statement.run();
  };
  co_await pool_.run(std::move(insert));
}

boost::asio::awaitable<std::optional<EventRecord>> SqliteCatalogRepository::find_event(
    std::string id) {
  auto query = [id = std::move(id)](Connection& connection) -> std::optional<EventRecord> {
    auto row = connection.prepare(std::string{select_event} + "WHERE id = ?");
    row.bind(1, id);
    if (!row.step()) {
      return std::nullopt;
    }
    return read_event(row);
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<std::vector<EventRecord>> SqliteCatalogRepository::list_events() {
  auto query = [](Connection& connection) {
    std::vector<EventRecord> events;
    auto row = connection.prepare(std::string{select_event} + "ORDER BY starts_at, id");
    while (row.step()) {
      events.push_back(read_event(row));
    }
    return events;
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<bool> SqliteCatalogRepository::update_event_status(std::string id,
                                                                          std::string expected,
                                                                          std::string status) {
  auto update = [id = std::move(id), expected = std::move(expected),
                 status = std::move(status)](Connection& connection) {
    connection.prepare("UPDATE events SET status = ? WHERE id = ? AND status = ?")
        .bind(1, status)
        .bind(2, id)
        .bind(3, expected)
        .run();
    return connection.changes() == 1;
  };
  co_return co_await pool_.run(std::move(update));
}

boost::asio::awaitable<bool> SqliteCatalogRepository::replace_poster(std::string event_id,
                                                                     std::string poster_json,
                                                                     TimePoint retire_until) {
  auto replace = [event_id = std::move(event_id), poster_json = std::move(poster_json),
                  retire_until](Connection& connection) {
    Transaction transaction{connection};
    auto current = connection.prepare("SELECT poster FROM events WHERE id = ?");
    current.bind(1, event_id);
    if (!current.step()) {
      return false;
    }
    const auto previous = current.optional_text(0);
    connection.prepare("UPDATE events SET poster = ? WHERE id = ?")
        .bind(1, poster_json)
        .bind(2, event_id)
        .run();
    if (previous && *previous != poster_json) {
      connection
          .prepare("INSERT INTO retired_posters (event_id, poster, delete_after) VALUES (?, ?, ?)")
          .bind(1, event_id)
          .bind(2, *previous)
          .bind(3, to_unix_seconds(retire_until))
          .run();
    }
    transaction.commit();
    return true;
  };
  co_return co_await pool_.run(std::move(replace));
}

boost::asio::awaitable<std::vector<RetiredPoster>> SqliteCatalogRepository::retired_posters_due(
    TimePoint now, int limit) {
  auto query = [now, limit](Connection& connection) {
    std::vector<RetiredPoster> due;
    auto row = connection.prepare(
        "SELECT id, event_id, poster, delete_after FROM retired_posters WHERE delete_after <= ? "
        "ORDER BY delete_after, id LIMIT ?");
    row.bind(1, to_unix_seconds(now)).bind(2, std::int64_t{limit});
    while (row.step()) {
      due.push_back({.id = row.integer(0),
                     .event_id = row.text(1),
                     .poster_json = row.text(2),
                     .delete_after = from_unix_seconds(row.integer(3))});
    }
    return due;
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<bool> SqliteCatalogRepository::poster_object_in_use(
    std::string key, TimePoint now, std::int64_t except_retired_id) {
  // Keys are hashes, so a substring match of the quoted key cannot hit another key; events
  // and retired posters are few (hundreds), and only the sweeper asks.
  auto query = [key = std::move(key), now, except_retired_id](Connection& connection) {
    const auto quoted = "\"" + key + "\"";
    auto current = connection.prepare("SELECT 1 FROM events WHERE instr(poster, ?) > 0 LIMIT 1");
    current.bind(1, quoted);
    if (current.step()) {
      return true;
    }
    auto retired = connection.prepare(
        "SELECT 1 FROM retired_posters WHERE id <> ? AND delete_after > ? AND "
        "instr(poster, ?) > 0 LIMIT 1");
    retired.bind(1, except_retired_id).bind(2, to_unix_seconds(now)).bind(3, quoted);
    return retired.step();
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<bool> SqliteCatalogRepository::claim_retired_poster(std::int64_t id) {
  auto claim = [id](Connection& connection) {
    connection.prepare("DELETE FROM retired_posters WHERE id = ?").bind(1, id).run();
    return connection.changes() == 1;
  };
  co_return co_await pool_.run(std::move(claim));
}

}  // namespace boxoffice::store::sqlite
