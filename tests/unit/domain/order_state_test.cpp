// Order state machine: every pair of states.
#include "domain/order_state.hpp"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace boxoffice::domain {
namespace {

constexpr OrderState all_states[] = {OrderState::pending, OrderState::confirmed, OrderState::failed,
                                     OrderState::released, OrderState::refunded};

TEST(OrderState, AllowsOnlyPaymentOutcomesAndRefunds) {
  const std::set<std::pair<OrderState, OrderState>> legal{
      {OrderState::pending, OrderState::confirmed},
      {OrderState::pending, OrderState::failed},
      {OrderState::pending, OrderState::released},
      {OrderState::confirmed, OrderState::refunded},
  };
  for (const OrderState from : all_states) {
    for (const OrderState to : all_states) {
      const bool expected = legal.contains({from, to});
      EXPECT_EQ(can_transition(from, to), expected) << to_string(from) << " -> " << to_string(to);
      const auto result = transition(from, to);
      ASSERT_EQ(result.has_value(), expected);
      if (expected) {
        EXPECT_EQ(result.value(), to);
      } else {
        EXPECT_EQ(result.error(), (TransitionError{to_string(from), to_string(to)}));
      }
    }
  }
}

TEST(OrderState, NeverRefundsTwice) {
  EXPECT_EQ(transition(OrderState::refunded, OrderState::refunded).error().message(),
            "cannot change from refunded to refunded");
}

TEST(OrderState, RoundTripsItsSpelling) {
  for (const OrderState state : all_states) {
    EXPECT_EQ(parse_order_state(to_string(state)), state);
  }
  EXPECT_EQ(to_string(OrderState::confirmed), "confirmed");
  EXPECT_EQ(parse_order_state("CONFIRMED"), std::nullopt);
}

TEST(OrderState, ShowsCustomersOnlyPaidOrders) {
  for (const OrderState state : all_states) {
    EXPECT_EQ(is_visible_to_customer(state),
              state == OrderState::confirmed || state == OrderState::refunded)
        << to_string(state);
    EXPECT_EQ(counts_as_sold(state), state == OrderState::confirmed) << to_string(state);
  }
}

}  // namespace
}  // namespace boxoffice::domain
