// The life of an order. It is pending while payment runs; then confirmed when the payment
// succeeds, failed when it is declined, or released when it is abandoned before completing
// (its hold expired, or a pending order is found after a restart). Only a confirmed order may
// be refunded, and refunded is final, so one payment is never refunded twice.
#pragma once

#include "domain/expected.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace boxoffice::domain {

enum class OrderState : std::uint8_t { pending, confirmed, failed, released, refunded };

// The spelling stored, logged and, for confirmed and refunded, shown to clients.
[[nodiscard]] constexpr std::string_view to_string(OrderState state) noexcept {
  switch (state) {
    case OrderState::pending:
      return "pending";
    case OrderState::confirmed:
      return "confirmed";
    case OrderState::failed:
      return "failed";
    case OrderState::released:
      return "released";
    case OrderState::refunded:
      return "refunded";
  }
  return "unknown";
}

[[nodiscard]] constexpr std::optional<OrderState> parse_order_state(
    std::string_view text) noexcept {
  for (const OrderState state : {OrderState::pending, OrderState::confirmed, OrderState::failed,
                                 OrderState::released, OrderState::refunded}) {
    if (to_string(state) == text) {
      return state;
    }
  }
  return std::nullopt;
}

[[nodiscard]] constexpr bool can_transition(OrderState from, OrderState to) noexcept {
  switch (from) {
    case OrderState::pending:
      return to == OrderState::confirmed || to == OrderState::failed || to == OrderState::released;
    case OrderState::confirmed:
      return to == OrderState::refunded;
    case OrderState::failed:
    case OrderState::released:
    case OrderState::refunded:
      return false;
  }
  return false;
}

[[nodiscard]] constexpr Expected<OrderState, TransitionError> transition(OrderState from,
                                                                         OrderState to) {
  if (!can_transition(from, to)) {
    return TransitionError{to_string(from), to_string(to)};
  }
  return to;
}

// The contract shows clients only orders that were paid for.
[[nodiscard]] constexpr bool is_visible_to_customer(OrderState state) noexcept {
  return state == OrderState::confirmed || state == OrderState::refunded;
}

// Whether the order's seats count as sold.
[[nodiscard]] constexpr bool counts_as_sold(OrderState state) noexcept {
  return state == OrderState::confirmed;
}

}  // namespace boxoffice::domain
