// The per-event limits an admin sets (tickets per order, hold duration) and the check of a
// hold request's size against them.
#pragma once

#include "domain/expected.hpp"

#include <cstdint>

namespace boxoffice::domain {

inline constexpr int max_tickets_per_order_default = 8;
inline constexpr int max_tickets_per_order_min = 1;
inline constexpr int max_tickets_per_order_max = 50;

inline constexpr int hold_seconds_default = 600;
// One second, not more, so that tests can watch holds expire without waiting long.
inline constexpr int hold_seconds_min = 1;
inline constexpr int hold_seconds_max = 3600;

// field "max_tickets_per_order".
[[nodiscard]] Result<int> validate_max_tickets_per_order(std::int64_t value);
// field "hold_seconds".
[[nodiscard]] Result<int> validate_hold_seconds(std::int64_t value);

enum class SeatCountCheck {
  ok,
  empty,     // no seats asked for: a bad request
  too_many,  // more than the event allows in one order: the contract's too_many_seats
};

// The number of seats in a hold request (listed seat ids or a best-available quantity).
[[nodiscard]] SeatCountCheck check_seat_count(std::int64_t count,
                                              int max_tickets_per_order) noexcept;

}  // namespace boxoffice::domain
