// Throttling windows in Redis: counting, the window's end, clearing, a new window after
// the old one ends, and two instances sharing counters.
#include "store/redis/redis_rate_limiter.hpp"

#include "redis_test_support.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace boxoffice::store::redis {
namespace {

using namespace std::chrono_literals;
using testing::run_command;

class RedisRateLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::test_redis_url();
    if (!url_) {
      GTEST_SKIP() << "BOXOFFICE_TEST_REDIS_URL is not set";
    }
    client_ = std::make_unique<RedisClient>(RedisOptions{.url = *url_});
    limiter_ = std::make_unique<RedisRateLimiter>(*client_);
    key_ = "login:" + random_hex(8);
  }

  void TearDown() override {
    if (client_) {
      run_command(*client_, {"DEL", "rl:" + key_});
    }
  }

  std::optional<std::string> url_;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<RedisRateLimiter> limiter_;
  std::string key_;
};

TEST_F(RedisRateLimiterTest, CountsWithinOneWindow) {
  const auto nothing = run_sync(limiter_->current(key_));
  EXPECT_EQ(nothing.count, 0);
  EXPECT_EQ(nothing.resets_in, 0s);

  const auto first = run_sync(limiter_->increment(key_, 300s));
  EXPECT_EQ(first.count, 1);
  EXPECT_EQ(first.resets_in, 300s);
  run_sync(limiter_->increment(key_, 300s));
  const auto third = run_sync(limiter_->increment(key_, 300s));
  EXPECT_EQ(third.count, 3);
  EXPECT_GT(third.resets_in, 298s);
  EXPECT_LE(third.resets_in, 300s);

  const auto now = run_sync(limiter_->current(key_));
  EXPECT_EQ(now.count, 3);
  EXPECT_GT(now.resets_in, 298s);
}

TEST_F(RedisRateLimiterTest, ClearForgetsTheCount) {
  run_sync(limiter_->increment(key_, 300s));
  run_sync(limiter_->clear(key_));
  EXPECT_EQ(run_sync(limiter_->current(key_)).count, 0);
  EXPECT_EQ(run_sync(limiter_->increment(key_, 300s)).count, 1);
}

TEST_F(RedisRateLimiterTest, ANewWindowStartsWhenTheOldOneEnds) {
  run_sync(limiter_->increment(key_, 300s));
  run_sync(limiter_->increment(key_, 300s));
  run_command(*client_, {"PEXPIRE", "rl:" + key_, "1"});
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(run_sync(limiter_->current(key_)).count, 0);
  const auto fresh = run_sync(limiter_->increment(key_, 60s));
  EXPECT_EQ(fresh.count, 1);
  EXPECT_EQ(fresh.resets_in, 60s);
}

TEST_F(RedisRateLimiterTest, ACounterWithoutAWindowGetsOne) {
  run_command(*client_, {"SET", "rl:" + key_, "4"});
  const auto counted = run_sync(limiter_->increment(key_, 60s));
  EXPECT_EQ(counted.count, 5);
  EXPECT_EQ(counted.resets_in, 60s);
}

TEST_F(RedisRateLimiterTest, InstancesShareCounters) {
  RedisClient other_client{RedisOptions{.url = *url_}};
  RedisRateLimiter other{other_client};
  run_sync(limiter_->increment(key_, 300s));
  EXPECT_EQ(run_sync(other.increment(key_, 300s)).count, 2);
  EXPECT_EQ(run_sync(limiter_->current(key_)).count, 2);
}

}  // namespace
}  // namespace boxoffice::store::redis
