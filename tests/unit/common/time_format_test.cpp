#include "common/time_format.hpp"

#include <gtest/gtest.h>

namespace boxoffice {
namespace {

TEST(TimeFormat, FormatsUtcWithSecondsPrecision) {
  EXPECT_EQ(format_rfc3339(from_unix_seconds(1796153400)), "2026-12-01T19:30:00Z");
}

TEST(TimeFormat, RoundTripsThroughParse) {
  const auto parsed = parse_rfc3339("2026-12-01T19:30:00Z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(to_unix_seconds(*parsed), 1796153400);
}

TEST(TimeFormat, AppliesOffsetsAndIgnoresFractions) {
  const auto parsed = parse_rfc3339("2026-12-01T21:30:00.250+02:00");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(format_rfc3339(*parsed), "2026-12-01T19:30:00Z");
}

TEST(TimeFormat, RejectsMalformedTimes) {
  for (const auto* text : {"", "2026-12-01", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                           "2026-12-01T24:00:00Z", "2026-12-01T19:30:00", "2026-12-01 19:30:00Z",
                           "2026-12-01T19:30:00Zjunk", "2026-12-01T19:30:00+2:00"}) {
    EXPECT_FALSE(parse_rfc3339(text)) << text;
  }
}

}  // namespace
}  // namespace boxoffice
