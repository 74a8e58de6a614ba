#include "common/percent_decode.hpp"

#include <gtest/gtest.h>

namespace boxoffice {
namespace {

TEST(PercentDecode, DecodesEscapesAndKeepsTheRest) {
  EXPECT_EQ(percent_decode("p%40ss%3aw%2Fd"), "p@ss:w/d");
  EXPECT_EQ(percent_decode("plain"), "plain");
  EXPECT_EQ(percent_decode(""), "");
}

TEST(PercentDecode, RefusesBrokenEscapes) {
  for (const auto* text : {"%", "%4", "abc%", "%zz", "%4g"}) {
    EXPECT_FALSE(percent_decode(text)) << text;
  }
}

}  // namespace
}  // namespace boxoffice
