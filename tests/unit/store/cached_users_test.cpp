#include "store/cached_users.hpp"

#include "common/run_sync.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

namespace boxoffice::store {
namespace {

using namespace std::chrono_literals;

// Counts the reads that reach the database.
class CountingUsers final : public UserRepository {
 public:
  boost::asio::awaitable<CreateUserResult> create(User user) override {
    users[user.id] = user;
    co_return CreateUserResult::created;
  }
  boost::asio::awaitable<std::optional<User>> find_by_email(std::string email) override {
    ++email_reads;
    for (const auto& [id, user] : users) {
      if (user.email == email) {
        co_return user;
      }
    }
    co_return std::nullopt;
  }
  boost::asio::awaitable<std::optional<User>> find_by_id(std::string id) override {
    ++id_reads;
    const auto it = users.find(id);
    co_return it == users.end() ? std::nullopt : std::optional<User>{it->second};
  }

  std::map<std::string, User> users;
  int id_reads = 0;
  int email_reads = 0;
};

User user_named(const std::string& id, Role role = Role::customer) {
  return User{.id = id,
              .email = id + "@example.com",
              .name = id,
              .role = role,
              .password_hash = "",
              .created_at = {}};
}

TEST(CachedUsers, AUserIsReadOnceWithinTheLifetime) {
  CountingUsers database;
  run_sync(database.create(user_named("ann")));
  CachedUsers cached{database, 60s};
  for (int i = 0; i < 5; ++i) {
    const auto found = run_sync(cached.find_by_id("ann"));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->email, "ann@example.com");
  }
  EXPECT_EQ(database.id_reads, 1);
}

TEST(CachedUsers, AChangeShowsOnceTheCopyIsOlderThanTheLifetime) {
  CountingUsers database;
  run_sync(database.create(user_named("ann", Role::admin)));
  CachedUsers cached{database, 50ms};
  EXPECT_EQ(run_sync(cached.find_by_id("ann"))->role, Role::admin);
  database.users["ann"].role = Role::customer;  // the role is taken away in the database
  std::this_thread::sleep_for(80ms);
  EXPECT_EQ(run_sync(cached.find_by_id("ann"))->role, Role::customer);
  EXPECT_EQ(database.id_reads, 2);
}

TEST(CachedUsers, UnknownUsersAreNeverKept) {
  CountingUsers database;
  CachedUsers cached{database, 60s};
  EXPECT_FALSE(run_sync(cached.find_by_id("ghost")));
  run_sync(database.create(user_named("ghost")));
  EXPECT_TRUE(run_sync(cached.find_by_id("ghost")));
}

TEST(CachedUsers, ALifetimeOfZeroReadsEveryTime) {
  CountingUsers database;
  run_sync(database.create(user_named("ann")));
  CachedUsers cached{database, 0ms};
  run_sync(cached.find_by_id("ann"));
  run_sync(cached.find_by_id("ann"));
  EXPECT_EQ(database.id_reads, 2);
}

TEST(CachedUsers, LogInAlwaysReadsTheDatabase) {
  CountingUsers database;
  run_sync(database.create(user_named("ann")));
  CachedUsers cached{database, 60s};
  run_sync(cached.find_by_email("ann@example.com"));
  run_sync(cached.find_by_email("ann@example.com"));
  EXPECT_EQ(database.email_reads, 2);
}

TEST(CachedUsers, AFullCacheStartsOverInsteadOfGrowing) {
  CountingUsers database;
  for (int i = 0; i < 3; ++i) {
    run_sync(database.create(user_named("u" + std::to_string(i))));
  }
  CachedUsers cached{database, 60s, 2};
  run_sync(cached.find_by_id("u0"));
  run_sync(cached.find_by_id("u1"));
  run_sync(cached.find_by_id("u2"));  // full: starts over with u2 alone
  run_sync(cached.find_by_id("u0"));
  EXPECT_EQ(database.id_reads, 4);
  run_sync(cached.find_by_id("u2"));
  EXPECT_EQ(database.id_reads, 4);
}

}  // namespace
}  // namespace boxoffice::store
