// The rows of the sales data (venues, events, orders, tickets, idempotency records) as
// every database backend stores them.
#pragma once

#include "common/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace boxoffice::store {

struct VenueRecord {
  std::string id;
  std::string name;
  // The layout as the organizer sent it (normalised JSON); seat ids derive from it.
  std::string layout_json;
  std::int64_t capacity = 0;
  TimePoint created_at;
};

struct EventRecord {
  std::string id;
  std::string venue_id;
  std::string title;
  std::string artist;
  TimePoint starts_at;
  TimePoint sale_starts_at;
  // As set by admins: scheduled, on_sale, paused or cancelled. sold_out is derived from
  // availability when the event is read, so it never goes stale in the database.
  std::string status;
  std::string currency;
  // {"category": amount, ...}
  std::string prices_json;
  int max_tickets_per_order = 8;
  int hold_seconds = 600;
  std::optional<std::string> poster_json;
  TimePoint created_at;
};

// A poster that was replaced, waiting for its grace period to end.
struct RetiredPoster {
  std::int64_t id = 0;
  std::string event_id;
  std::string poster_json;
  TimePoint delete_after;
};

struct TicketRecord {
  std::string id;
  std::string order_id;
  std::string event_id;
  std::string user_id;
  std::string seat_id;
  std::string code;
  // valid, checked_in or void
  std::string status;
  std::optional<TimePoint> checked_in_at;
};

struct OrderRecord {
  std::string id;
  std::string user_id;
  std::string event_id;
  std::string hold_id;
  // pending, confirmed, failed, refunded
  std::string status;
  std::int64_t total = 0;
  std::string currency;
  std::vector<std::string> seat_ids;
  std::string idempotency_key;
  TimePoint created_at;
  std::vector<TicketRecord> tickets;
};

// The stored answer to an order request, replayed for a repeat of its Idempotency-Key.
struct IdempotencyRecord {
  std::string user_id;
  std::string key;
  std::string request_hash;
  std::string order_id;
  // pending while the first request is being served; done once it has its answer.
  bool done = false;
  int status_code = 0;
  std::string response_body;
};

struct SalesTotals {
  std::int64_t orders = 0;
  std::int64_t revenue = 0;
  std::int64_t tickets = 0;
};

}  // namespace boxoffice::store
