// Hold state machine: every pair of states, and expiry at the exact instant.
#include "domain/hold_state.hpp"

#include <gtest/gtest.h>

namespace boxoffice::domain {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::system_clock::time_point;

constexpr HoldState all_states[] = {HoldState::live, HoldState::used, HoldState::released,
                                    HoldState::expired};

const TimePoint noon = TimePoint{} + 1'800'000'000s;

TEST(HoldState, MovesOnlyFromLiveToAFinalState) {
  for (const HoldState from : all_states) {
    for (const HoldState to : all_states) {
      const bool legal = from == HoldState::live && to != HoldState::live;
      EXPECT_EQ(can_transition(from, to), legal) << to_string(from) << " -> " << to_string(to);
      const auto result = transition(from, to);
      EXPECT_EQ(result.has_value(), legal);
      if (legal) {
        EXPECT_EQ(result.value(), to);
      } else {
        EXPECT_EQ(result.error(), (TransitionError{to_string(from), to_string(to)}));
      }
    }
  }
}

TEST(HoldState, ExplainsARefusedMove) {
  EXPECT_EQ(transition(HoldState::used, HoldState::released).error().message(),
            "cannot change from used to released");
}

TEST(HoldState, RoundTripsItsSpelling) {
  for (const HoldState state : all_states) {
    EXPECT_EQ(parse_hold_state(to_string(state)), state);
  }
  EXPECT_EQ(to_string(HoldState::live), "live");
  EXPECT_EQ(parse_hold_state("Live"), std::nullopt);
  EXPECT_EQ(parse_hold_state(""), std::nullopt);
}

TEST(HoldState, IsExpiredFromItsExpiryInstantOn) {
  EXPECT_FALSE(is_expired(noon, noon - 1ns));
  EXPECT_TRUE(is_expired(noon, noon));
  EXPECT_TRUE(is_expired(noon, noon + 1s));
  EXPECT_FALSE(is_expired(std::int64_t{1000}, std::int64_t{999}));
  EXPECT_TRUE(is_expired(std::int64_t{1000}, std::int64_t{1000}));
}

TEST(HoldState, ExpiresHoldSecondsAfterItIsTaken) {
  EXPECT_EQ(hold_expires_at(noon, 600s), noon + 10min);
  EXPECT_TRUE(is_expired(hold_expires_at(noon, 2s), noon + 2s));
}

TEST(HoldState, ReadsALiveHoldPastItsExpiryAsExpired) {
  EXPECT_EQ(effective_state(HoldState::live, noon, noon - 1s), HoldState::live);
  EXPECT_EQ(effective_state(HoldState::live, noon, noon), HoldState::expired);
  EXPECT_EQ(effective_state(HoldState::used, noon, noon + 1h), HoldState::used);
  EXPECT_EQ(effective_state(HoldState::released, noon, noon + 1h), HoldState::released);
}

TEST(HoldState, UsesOnlyALiveUnexpiredHold) {
  EXPECT_EQ(use_hold(HoldState::live, noon, noon - 1s).value(), HoldState::used);
  EXPECT_EQ(use_hold(HoldState::live, noon, noon).error(), (TransitionError{"expired", "used"}));
  EXPECT_FALSE(use_hold(HoldState::used, noon, noon - 1s));
  EXPECT_FALSE(use_hold(HoldState::released, noon, noon - 1s));
}

TEST(HoldState, ReleasesOnlyALiveUnexpiredHold) {
  EXPECT_EQ(release_hold(HoldState::live, noon, noon - 1s).value(), HoldState::released);
  EXPECT_FALSE(release_hold(HoldState::live, noon, noon + 1s));
  EXPECT_FALSE(release_hold(HoldState::used, noon, noon - 1s));
}

TEST(HoldState, IsUsableAtCompileTime) {
  static_assert(can_transition(HoldState::live, HoldState::used));
  static_assert(!can_transition(HoldState::expired, HoldState::live));
  static_assert(transition(HoldState::live, HoldState::expired).value() == HoldState::expired);
  static_assert(parse_hold_state("released") == HoldState::released);
}

}  // namespace
}  // namespace boxoffice::domain
