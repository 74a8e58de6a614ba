// Venues and events in MariaDB: the same statements and answers as the SQLite repository.
// Inserts use fixed ids, so a retry after a lost commit answer recognises its own row.
#include "store/mysql/mysql_catalog_repository.hpp"

#include "common/time_format.hpp"

namespace boxoffice::store::mysql {
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

bool row_exists(Connection& connection, std::string_view table, const std::string& id) {
  auto row = connection.prepare("SELECT 1 FROM " + std::string{table} + " WHERE id = ?");
  row.bind(1, id);
  return row.step();
}

// A duplicate id is an error, as in SQLite, unless an earlier try of this very insert may
// have committed: then the row is this insert's own (ids are 128 random bits).
void insert_once(Connection& connection, const Attempt& attempt, std::string_view table,
                 const std::string& id, Statement& insert) {
  try {
    insert.run();
  } catch (const MysqlError& error) {
    if (error.is_constraint() && attempt.earlier_outcome_unknown &&
        row_exists(connection, table, id)) {
      return;
    }
    throw;
  }
}

}  // namespace

boost::asio::awaitable<void> MysqlCatalogRepository::create_venue(VenueRecord venue) {
  auto insert = [venue = std::move(venue)](Connection& connection, const Attempt& attempt) {
    auto statement = connection.prepare(
        "INSERT INTO venues (id, name, layout, capacity, created_at) VALUES (?, ?, ?, ?, ?)");
    statement.bind(1, venue.id)
        .bind(2, venue.name)
        .bind(3, venue.layout_json)
        .bind(4, venue.capacity)
        .bind(5, to_unix_seconds(venue.created_at));
    insert_once(connection, attempt, "venues", venue.id, statement);
  };
  co_await pool_.run(std::move(insert));
}

boost::asio::awaitable<std::optional<VenueRecord>> MysqlCatalogRepository::find_venue(
    std::string id) {
  auto query = [id = std::move(id)](Connection& connection,
                                    const Attempt&) -> std::optional<VenueRecord> {
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

boost::asio::awaitable<std::vector<VenueRecord>> MysqlCatalogRepository::list_venues() {
  auto query = [](Connection& connection, const Attempt&) {
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

boost::asio::awaitable<void> MysqlCatalogRepository::create_event(EventRecord event) {
  auto insert = [event = std::move(event)](Connection& connection, const Attempt& attempt) {
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
    insert_once(connection, attempt, "events", event.id, statement);
  };
  co_await pool_.run(std::move(insert));
}

boost::asio::awaitable<std::optional<EventRecord>> MysqlCatalogRepository::find_event(
    std::string id) {
  auto query = [id = std::move(id)](Connection& connection,
                                    const Attempt&) -> std::optional<EventRecord> {
    auto row = connection.prepare(std::string{select_event} + "WHERE id = ?");
    row.bind(1, id);
    if (!row.step()) {
      return std::nullopt;
    }
    return read_event(row);
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<std::vector<EventRecord>> MysqlCatalogRepository::list_events() {
  auto query = [](Connection& connection, const Attempt&) {
    std::vector<EventRecord> events;
    auto row = connection.prepare(std::string{select_event} + "ORDER BY starts_at, id");
    while (row.step()) {
      events.push_back(read_event(row));
    }
    return events;
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<bool> MysqlCatalogRepository::update_event_status(std::string id,
                                                                         std::string expected,
                                                                         std::string status) {
  auto update = [id = std::move(id), expected = std::move(expected), status = std::move(status)](
                    Connection& connection, const Attempt& attempt) {
    connection.prepare("UPDATE events SET status = ? WHERE id = ? AND status = ?")
        .bind(1, status)
        .bind(2, id)
        .bind(3, expected)
        .run();
    if (connection.changes() == 1) {
      return true;
    }
    // An earlier try may have made the change and lost its answer: the status it set is
    // there now.
    if (attempt.earlier_outcome_unknown) {
      auto row = connection.prepare("SELECT status FROM events WHERE id = ?");
      row.bind(1, id);
      return row.step() && row.text(0) == status;
    }
    return false;
  };
  co_return co_await pool_.run(std::move(update));
}

boost::asio::awaitable<bool> MysqlCatalogRepository::replace_poster(std::string event_id,
                                                                    std::string poster_json,
                                                                    TimePoint retire_until) {
  auto replace = [event_id = std::move(event_id), poster_json = std::move(poster_json),
                  retire_until](Connection& connection, const Attempt&) {
    Transaction transaction{connection};
    // The row lock orders concurrent replacements, so each retires the poster it replaced.
    auto current = connection.prepare("SELECT poster FROM events WHERE id = ? FOR UPDATE");
    current.bind(1, event_id);
    if (!current.step()) {
      return false;
    }
    const auto previous = current.optional_text(0);
    while (current.step()) {
    }
    // A retry after a lost commit answer finds its own poster in place and retires nothing.
    if (previous && *previous != poster_json) {
      connection
          .prepare("INSERT INTO retired_posters (event_id, poster, delete_after) VALUES (?, ?, ?)")
          .bind(1, event_id)
          .bind(2, *previous)
          .bind(3, to_unix_seconds(retire_until))
          .run();
    }
    connection.prepare("UPDATE events SET poster = ? WHERE id = ?")
        .bind(1, poster_json)
        .bind(2, event_id)
        .run();
    transaction.commit();
    return true;
  };
  co_return co_await pool_.run(std::move(replace));
}

boost::asio::awaitable<std::vector<RetiredPoster>> MysqlCatalogRepository::retired_posters_due(
    TimePoint now, int limit) {
  auto query = [now, limit](Connection& connection, const Attempt&) {
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

boost::asio::awaitable<bool> MysqlCatalogRepository::poster_object_in_use(
    std::string key, TimePoint now, std::int64_t except_retired_id) {
  // Keys are hashes, so a substring match of the quoted key cannot hit another key; events
  // and retired posters are few (hundreds), and only the sweeper asks.
  auto query = [key = std::move(key), now, except_retired_id](Connection& connection,
                                                              const Attempt&) {
    auto row = connection.prepare(
        "SELECT EXISTS (SELECT 1 FROM events WHERE LOCATE(?, poster) > 0) OR EXISTS (SELECT 1 "
        "FROM retired_posters WHERE id <> ? AND delete_after > ? AND LOCATE(?, poster) > 0)");
    const auto quoted = "\"" + key + "\"";
    row.bind(1, quoted).bind(2, except_retired_id).bind(3, to_unix_seconds(now)).bind(4, quoted);
    const bool found = row.step() && row.integer(0) != 0;
    while (row.step()) {
    }
    return found;
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<bool> MysqlCatalogRepository::claim_retired_poster(std::int64_t id) {
  auto claim = [id](Connection& connection, const Attempt& attempt) {
    connection.prepare("DELETE FROM retired_posters WHERE id = ?").bind(1, id).run();
    // After a lost answer the row may be gone by this very call: handling a retired
    // poster twice is harmless, never handling it would leave its files behind.
    return connection.changes() == 1 || attempt.earlier_outcome_unknown;
  };
  co_return co_await pool_.run(std::move(claim));
}

}  // namespace boxoffice::store::mysql
