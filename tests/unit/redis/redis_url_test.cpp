// redis:// URLs: every part, the defaults, percent-decoding, and refusals that never quote
// the password. Needs no server.
#include "store/redis/redis_url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace boxoffice::store::redis {
namespace {

TEST(RedisUrlTest, ReadsHostPortAndDatabase) {
  const auto url = parse_redis_url("redis://cache.internal:6380/2");
  EXPECT_EQ(url.host, "cache.internal");
  EXPECT_EQ(url.port, 6380);
  EXPECT_EQ(url.database, 2);
  EXPECT_TRUE(url.user.empty());
  EXPECT_TRUE(url.password.empty());
}

TEST(RedisUrlTest, DefaultsToPort6379AndDatabase0) {
  for (const auto* text : {"redis://localhost", "redis://localhost/", "redis://localhost:6379/0"}) {
    const auto url = parse_redis_url(text);
    EXPECT_EQ(url.host, "localhost") << text;
    EXPECT_EQ(url.port, 6379) << text;
    EXPECT_EQ(url.database, 0) << text;
  }
}

TEST(RedisUrlTest, DecodesUserAndPassword) {
  const auto url = parse_redis_url("redis://app%2Dreader:p%40ss%3Aw%20rd@10.0.0.5:7000/1");
  EXPECT_EQ(url.user, "app-reader");
  EXPECT_EQ(url.password, "p@ss:w rd");
  EXPECT_EQ(url.host, "10.0.0.5");
  EXPECT_EQ(url.port, 7000);
}

TEST(RedisUrlTest, APasswordAloneUsesTheLegacyAuth) {
  const auto url = parse_redis_url("redis://:secret@127.0.0.1:6379/0");
  EXPECT_TRUE(url.user.empty());
  EXPECT_EQ(url.password, "secret");
}

TEST(RedisUrlTest, AnUnencodedAtInThePasswordStillParses) {
  const auto url = parse_redis_url("redis://:a@b@host:1/0");
  EXPECT_EQ(url.password, "a@b");
  EXPECT_EQ(url.host, "host");
}

TEST(RedisUrlTest, ReadsBracketedIpv6) {
  const auto url = parse_redis_url("redis://[::1]:6390/3");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 6390);
  EXPECT_EQ(url.redacted(), "redis://[::1]:6390/3");
}

TEST(RedisUrlTest, RedactsThePassword) {
  const auto url = parse_redis_url("redis://u:topsecret@h:1/4");
  EXPECT_EQ(url.redacted(), "redis://u:***@h:1/4");
}

TEST(RedisUrlTest, RefusesMalformedUrlsWithoutQuotingThePassword) {
  for (const auto* text :
       {"http://h:1/0", "redis://", "redis://h:0/0", "redis://h:70000/0", "redis://h:/0",
        "redis://h:1/x", "redis://h:1/-1", "redis://nopassword@h:1/0", "redis://u:@h:1/0",
        "redis://:bad%zzsecret@h:1/0", "redis://h:1/0?timeout=1", "redis://[::1/0"}) {
    try {
      static_cast<void>(parse_redis_url(text));
      ADD_FAILURE() << "accepted " << text;
    } catch (const std::invalid_argument& error) {
      EXPECT_EQ(std::string{error.what()}.find("secret"), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace boxoffice::store::redis
