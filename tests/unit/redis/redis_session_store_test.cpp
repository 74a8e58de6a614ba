// Sessions in Redis: create, touch (which slides the TTL), revoke, expiry, and two
// instances seeing the same sessions.
#include "store/redis/redis_session_store.hpp"

#include "redis_test_support.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace boxoffice::store::redis {
namespace {

using namespace std::chrono_literals;
using testing::run_command;

class RedisSessionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::test_redis_url();
    if (!url_) {
      GTEST_SKIP() << "BOXOFFICE_TEST_REDIS_URL is not set";
    }
    client_ = std::make_unique<RedisClient>(RedisOptions{.url = *url_});
    store_ = std::make_unique<RedisSessionStore>(*client_, 3600s);
    token_ = random_hex(32);
  }

  void TearDown() override {
    if (client_) {
      run_command(*client_, {"DEL", "session:" + token_});
    }
  }

  // Named before the call: g++ 12 mishandles an aggregate built inside a coroutine's
  // argument list.
  void create(Session session) { run_sync(store_->create(token_, std::move(session))); }

  std::int64_t ttl_seconds() {
    return run_command(*client_, {"TTL", "session:" + token_}).as_integer("TTL");
  }

  std::optional<std::string> url_;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<RedisSessionStore> store_;
  std::string token_;
};

TEST_F(RedisSessionStoreTest, CreatesAndFindsASession) {
  create(Session{.user_id = "user-1", .csrf_token = "csrf-1"});
  const auto found = run_sync(store_->touch(token_));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, "user-1");
  EXPECT_EQ(found->csrf_token, "csrf-1");
  EXPECT_FALSE(run_sync(store_->touch(random_hex(32))));
}

TEST_F(RedisSessionStoreTest, TouchSlidesTheExpiry) {
  create(Session{.user_id = "user-1", .csrf_token = "csrf"});
  EXPECT_GT(ttl_seconds(), 3590);
  // As if most of the idle lifetime had passed.
  run_command(*client_, {"EXPIRE", "session:" + token_, "5"});
  ASSERT_LE(ttl_seconds(), 5);
  ASSERT_TRUE(run_sync(store_->touch(token_)));
  EXPECT_GT(ttl_seconds(), 3590);
}

TEST_F(RedisSessionStoreTest, AnIdleSessionExpires) {
  create(Session{.user_id = "user-1", .csrf_token = "csrf"});
  run_command(*client_, {"PEXPIRE", "session:" + token_, "1"});
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(run_sync(store_->touch(token_)));
}

TEST_F(RedisSessionStoreTest, RevokeEndsTheSession) {
  create(Session{.user_id = "user-1", .csrf_token = "csrf"});
  run_sync(store_->revoke(token_));
  EXPECT_FALSE(run_sync(store_->touch(token_)));
  EXPECT_NO_THROW(run_sync(store_->revoke(token_)));
}

TEST_F(RedisSessionStoreTest, EveryInstanceSeesTheSameSessions) {
  RedisClient other_client{RedisOptions{.url = *url_}};
  RedisSessionStore other{other_client, 3600s};

  create(Session{.user_id = "user-7", .csrf_token = "csrf-7"});
  const auto seen = run_sync(other.touch(token_));
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->user_id, "user-7");

  // Log-out on one instance revokes on all at once.
  run_sync(other.revoke(token_));
  EXPECT_FALSE(run_sync(store_->touch(token_)));
}

}  // namespace
}  // namespace boxoffice::store::redis
