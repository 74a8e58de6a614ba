#include "http/query.hpp"

#include <gtest/gtest.h>

namespace boxoffice::http {
namespace {

TEST(QueryValue, FindsTheFirstValueDecoded) {
  EXPECT_EQ(query_value("since=abc&x=1", "since"), "abc");
  EXPECT_EQ(query_value("x=1&email=fan%2Btag%40example.com", "email"), "fan+tag@example.com");
  EXPECT_EQ(query_value("since=1&since=2", "since"), "1");
  EXPECT_EQ(query_value("since=", "since"), "");
}

TEST(QueryValue, AbsentOrUnreadableIsNothing) {
  EXPECT_EQ(query_value("", "since"), std::nullopt);
  EXPECT_EQ(query_value("sincere=1", "since"), std::nullopt);
  EXPECT_EQ(query_value("since=%zz", "since"), std::nullopt);
}

}  // namespace
}  // namespace boxoffice::http
