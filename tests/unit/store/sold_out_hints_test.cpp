#include "store/sold_out_hints.hpp"
#include "stepped_clock.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace boxoffice::store {
namespace {

using namespace std::chrono_literals;

class SoldOutHintsTest : public ::testing::Test {
 protected:
  // A look that began now and found `free` seats of category 0 of the event.
  void look(std::int64_t free, const std::string& event = "ev") {
    const auto began = clock_.now();
    clock_.advance(1ms);
    hints_.record(event, 0, free, began);
  }

  SteppedClock clock_;
  SoldOutHints hints_{clock_, 250ms};
};

TEST_F(SoldOutHintsTest, RefusesMoreThanTheLastLookFoundFreeAndNothingElse) {
  EXPECT_FALSE(hints_.refuses("ev", 0, 4)) << "no look yet";
  look(2);
  EXPECT_TRUE(hints_.refuses("ev", 0, 4));
  EXPECT_TRUE(hints_.refuses("ev", 0, 3));
  EXPECT_FALSE(hints_.refuses("ev", 0, 2));
  EXPECT_FALSE(hints_.refuses("ev", 0, 1));
  EXPECT_FALSE(hints_.refuses("ev", 1, 4)) << "another category";
  EXPECT_FALSE(hints_.refuses("other", 0, 4)) << "another event";
}

TEST_F(SoldOutHintsTest, AHintLastsItsLifetimeOnly) {
  look(0);
  clock_.advance(200ms);
  EXPECT_TRUE(hints_.refuses("ev", 0, 1));
  clock_.advance(60ms);
  EXPECT_FALSE(hints_.refuses("ev", 0, 1));
}

TEST_F(SoldOutHintsTest, SeatsFreedHereForgetTheEventsHintsOnly) {
  look(0);
  look(0, "other");
  hints_.forget("ev");
  EXPECT_FALSE(hints_.refuses("ev", 0, 1));
  EXPECT_TRUE(hints_.refuses("other", 0, 1));
  hints_.forget_all();
  EXPECT_FALSE(hints_.refuses("other", 0, 1));
}

TEST_F(SoldOutHintsTest, ALookOvertakenByAFreeingIsNotKept) {
  const auto began = clock_.now();
  clock_.advance(1ms);
  hints_.forget("ev");  // seats freed while the look was under way
  clock_.advance(1ms);
  hints_.record("ev", 0, 0, began);
  EXPECT_FALSE(hints_.refuses("ev", 0, 1));

  const auto began_before_sweep = clock_.now();
  clock_.advance(1ms);
  hints_.forget_all();
  clock_.advance(1ms);
  hints_.record("ev", 0, 0, began_before_sweep);
  EXPECT_FALSE(hints_.refuses("ev", 0, 1));

  look(0);
  EXPECT_TRUE(hints_.refuses("ev", 0, 1)) << "a look begun after the freeing counts";
}

}  // namespace
}  // namespace boxoffice::store
