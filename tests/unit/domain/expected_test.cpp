// Expected: holds one alternative and refuses to hand out the other.
#include "domain/expected.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <variant>

namespace boxoffice::domain {
namespace {

TEST(Expected, HoldsAValue) {
  const Result<int> result = 42;
  ASSERT_TRUE(result);
  EXPECT_TRUE(result.has_value());
  EXPECT_EQ(result.value(), 42);
  EXPECT_EQ(*result, 42);
  EXPECT_THROW((void)result.error(), std::bad_variant_access);
}

TEST(Expected, HoldsAnError) {
  const Result<int> result = ValidationError{"seats", "must not be empty"};
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), (ValidationError{"seats", "must not be empty"}));
  EXPECT_THROW((void)result.value(), std::bad_variant_access);
}

TEST(Expected, MovesItsValueOut) {
  Expected<std::unique_ptr<int>, TransitionError> result = std::make_unique<int>(7);
  const std::unique_ptr<int> owned = std::move(result).value();
  ASSERT_TRUE(owned);
  EXPECT_EQ(*owned, 7);
}

TEST(Expected, ReachesMembersThroughTheArrow) {
  const Result<std::string> result = std::string("EUR");
  EXPECT_EQ(result->size(), 3U);
}

}  // namespace
}  // namespace boxoffice::domain
