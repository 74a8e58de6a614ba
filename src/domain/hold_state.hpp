// The life of a hold: live until it is used by an order, released by its owner (or by a newer
// hold of the same user for the same event), or expired. The last three are final, so a seat
// is never given back twice and a used hold never sells again.
#pragma once

#include "domain/expected.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace boxoffice::domain {

enum class HoldState : std::uint8_t { live, used, released, expired };

// The spelling stored and logged.
[[nodiscard]] constexpr std::string_view to_string(HoldState state) noexcept {
  switch (state) {
    case HoldState::live:
      return "live";
    case HoldState::used:
      return "used";
    case HoldState::released:
      return "released";
    case HoldState::expired:
      return "expired";
  }
  return "unknown";
}

[[nodiscard]] constexpr std::optional<HoldState> parse_hold_state(std::string_view text) noexcept {
  for (const HoldState state :
       {HoldState::live, HoldState::used, HoldState::released, HoldState::expired}) {
    if (to_string(state) == text) {
      return state;
    }
  }
  return std::nullopt;
}

[[nodiscard]] constexpr bool can_transition(HoldState from, HoldState to) noexcept {
  return from == HoldState::live && to != HoldState::live;
}

[[nodiscard]] constexpr Expected<HoldState, TransitionError> transition(HoldState from,
                                                                        HoldState to) {
  if (!can_transition(from, to)) {
    return TransitionError{to_string(from), to_string(to)};
  }
  return to;
}

// A hold is expired from its expiry instant on, so its seats are free again the moment the
// contract allows and never a second late.
[[nodiscard]] constexpr bool is_expired(std::chrono::system_clock::time_point expires_at,
                                        std::chrono::system_clock::time_point now) noexcept {
  return now >= expires_at;
}

[[nodiscard]] constexpr bool is_expired(std::int64_t expires_at_unix_s,
                                        std::int64_t now_unix_s) noexcept {
  return now_unix_s >= expires_at_unix_s;
}

[[nodiscard]] constexpr std::chrono::system_clock::time_point hold_expires_at(
    std::chrono::system_clock::time_point now, std::chrono::seconds hold_duration) noexcept {
  return now + hold_duration;
}

// The state as of `now`: a live hold past its expiry is expired even before anything has
// written that down, so every reader agrees without waiting for a sweeper.
[[nodiscard]] constexpr HoldState effective_state(
    HoldState stored, std::chrono::system_clock::time_point expires_at,
    std::chrono::system_clock::time_point now) noexcept {
  if (stored == HoldState::live && is_expired(expires_at, now)) {
    return HoldState::expired;
  }
  return stored;
}

// Turning a hold into an order: only a hold that is live as of `now` may be used.
[[nodiscard]] constexpr Expected<HoldState, TransitionError> use_hold(
    HoldState stored, std::chrono::system_clock::time_point expires_at,
    std::chrono::system_clock::time_point now) {
  return transition(effective_state(stored, expires_at, now), HoldState::used);
}

// Releasing a hold at its owner's request; an expired one is already released in effect.
[[nodiscard]] constexpr Expected<HoldState, TransitionError> release_hold(
    HoldState stored, std::chrono::system_clock::time_point expires_at,
    std::chrono::system_clock::time_point now) {
  return transition(effective_state(stored, expires_at, now), HoldState::released);
}

}  // namespace boxoffice::domain
