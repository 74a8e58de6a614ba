// An event's status, who may change it to what, and when its sale is open.
//
//   scheduled --admin--> on_sale <--admin--> paused
//   on_sale <--system--> sold_out   (set when nothing is left, cleared when seats come back)
//   scheduled, on_sale, paused, sold_out --admin--> cancelled   (final)
//
// Admins never set or clear sold_out: it is a fact about the seats, not a decision, and an
// admin toggling it would let it disagree with them.
#pragma once

#include "domain/expected.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace boxoffice::domain {

enum class EventStatus : std::uint8_t { scheduled, on_sale, paused, sold_out, cancelled };

// The contract's spelling.
[[nodiscard]] std::string_view to_string(EventStatus status) noexcept;
[[nodiscard]] std::optional<EventStatus> parse_event_status(std::string_view text) noexcept;

// The status named in an admin's PATCH: only on_sale, paused and cancelled may be asked for.
// field "status".
[[nodiscard]] Result<EventStatus> parse_admin_status(std::string_view text);

// Asking for the current status again is accepted and changes nothing, so a retried PATCH
// succeeds. A sold-out event can only be cancelled. After a sale is reopened, apply
// reconcile_sold_out, since nothing may be left to sell.
[[nodiscard]] bool can_admin_set(EventStatus current, EventStatus requested) noexcept;
[[nodiscard]] Expected<EventStatus, TransitionError> admin_set_status(EventStatus current,
                                                                      EventStatus requested);

// The status after the number of available seats changed (a sale, a release, an expiry, a
// refund, or an admin reopening a sale): on_sale with nothing available becomes sold_out, and
// sold_out with seats available again becomes on_sale. Other statuses are left alone.
[[nodiscard]] EventStatus reconcile_sold_out(EventStatus current,
                                             std::int64_t available_seats) noexcept;

// Holds may be taken only while the status is on_sale and sale_starts_at has come. A sold-out
// event is not open either, as the contract says of any status other than on_sale.
[[nodiscard]] bool is_sale_open(EventStatus status,
                                std::chrono::system_clock::time_point sale_starts_at,
                                std::chrono::system_clock::time_point now) noexcept;
[[nodiscard]] bool is_sale_open(EventStatus status, std::int64_t sale_starts_at_unix_s,
                                std::int64_t now_unix_s) noexcept;

// Whether the public catalog lists the event: everything but cancelled.
[[nodiscard]] bool is_listed(EventStatus status) noexcept;

}  // namespace boxoffice::domain
