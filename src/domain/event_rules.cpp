// Event status rules: the admin transitions, the automatic sold-out flag and the open sale.
#include "domain/event_rules.hpp"

namespace boxoffice::domain {
namespace {

constexpr EventStatus all_statuses[] = {EventStatus::scheduled, EventStatus::on_sale,
                                        EventStatus::paused, EventStatus::sold_out,
                                        EventStatus::cancelled};

bool is_admin_settable(EventStatus status) noexcept {
  return status == EventStatus::on_sale || status == EventStatus::paused ||
         status == EventStatus::cancelled;
}

}  // namespace

std::string_view to_string(EventStatus status) noexcept {
  switch (status) {
    case EventStatus::scheduled:
      return "scheduled";
    case EventStatus::on_sale:
      return "on_sale";
    case EventStatus::paused:
      return "paused";
    case EventStatus::sold_out:
      return "sold_out";
    case EventStatus::cancelled:
      return "cancelled";
  }
  return "unknown";
}

std::optional<EventStatus> parse_event_status(std::string_view text) noexcept {
  for (const EventStatus status : all_statuses) {
    if (to_string(status) == text) {
      return status;
    }
  }
  return std::nullopt;
}

Result<EventStatus> parse_admin_status(std::string_view text) {
  const auto status = parse_event_status(text);
  if (!status || !is_admin_settable(*status)) {
    return ValidationError{"status", "must be one of on_sale, paused, cancelled"};
  }
  return *status;
}

bool can_admin_set(EventStatus current, EventStatus requested) noexcept {
  if (!is_admin_settable(requested)) {
    return false;
  }
  if (current == requested) {
    return true;
  }
  switch (requested) {
    case EventStatus::on_sale:
      return current == EventStatus::scheduled || current == EventStatus::paused;
    case EventStatus::paused:
      return current == EventStatus::on_sale;
    case EventStatus::cancelled:
      return true;  // from any status but cancelled, which is equal and handled above
    case EventStatus::scheduled:
    case EventStatus::sold_out:
      return false;
  }
  return false;
}

Expected<EventStatus, TransitionError> admin_set_status(EventStatus current,
                                                        EventStatus requested) {
  if (!can_admin_set(current, requested)) {
    return TransitionError{to_string(current), to_string(requested)};
  }
  return requested;
}

EventStatus reconcile_sold_out(EventStatus current, std::int64_t available_seats) noexcept {
  if (current == EventStatus::on_sale && available_seats <= 0) {
    return EventStatus::sold_out;
  }
  if (current == EventStatus::sold_out && available_seats > 0) {
    return EventStatus::on_sale;
  }
  return current;
}

bool is_sale_open(EventStatus status, std::chrono::system_clock::time_point sale_starts_at,
                  std::chrono::system_clock::time_point now) noexcept {
  return status == EventStatus::on_sale && now >= sale_starts_at;
}

bool is_sale_open(EventStatus status, std::int64_t sale_starts_at_unix_s,
                  std::int64_t now_unix_s) noexcept {
  return status == EventStatus::on_sale && now_unix_s >= sale_starts_at_unix_s;
}

bool is_listed(EventStatus status) noexcept {
  return status != EventStatus::cancelled;
}

}  // namespace boxoffice::domain
