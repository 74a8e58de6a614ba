// Range checks for the per-event limits.
#include "domain/event_limits.hpp"

#include <string>

namespace boxoffice::domain {
namespace {

Result<int> check_range(std::int64_t value, int min, int max, const char* field) {
  if (value < min || value > max) {
    return ValidationError{
        field, "must be between " + std::to_string(min) + " and " + std::to_string(max)};
  }
  return static_cast<int>(value);
}

}  // namespace

Result<int> validate_max_tickets_per_order(std::int64_t value) {
  return check_range(value, max_tickets_per_order_min, max_tickets_per_order_max,
                     "max_tickets_per_order");
}

Result<int> validate_hold_seconds(std::int64_t value) {
  return check_range(value, hold_seconds_min, hold_seconds_max, "hold_seconds");
}

SeatCountCheck check_seat_count(std::int64_t count, int max_tickets_per_order) noexcept {
  if (count < 1) {
    return SeatCountCheck::empty;
  }
  if (count > max_tickets_per_order) {
    return SeatCountCheck::too_many;
  }
  return SeatCountCheck::ok;
}

}  // namespace boxoffice::domain
