// The Redis client: replies of every type, error replies, pipelining under concurrency,
// scripts surviving SCRIPT FLUSH, and the failure modes (server down, hung, restarted,
// wrong password) that must end in a quick StoreUnavailable and a recovery.
#include "store/redis/redis_client.hpp"

#include "redis_test_support.hpp"
#include "store/store_errors.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace boxoffice::store::redis {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::PrivateRedisServer;
using testing::run_command;
using Args = std::vector<std::string>;

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto url = testing::test_redis_url();
    if (!url) {
      GTEST_SKIP() << "BOXOFFICE_TEST_REDIS_URL is not set";
    }
    client_ = std::make_unique<RedisClient>(RedisOptions{.url = *url});
    prefix_ = "test:" + random_hex(8) + ":";
  }

  RedisReply run(Args args) { return run_command(*client_, std::move(args)); }

  std::unique_ptr<RedisClient> client_;
  std::string prefix_;
};

// Fault tests run their own server, so that stopping it disturbs no other test.
class RedisFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::test_redis_url()) {
      GTEST_SKIP() << "BOXOFFICE_TEST_REDIS_URL is not set";
    }
    if (!PrivateRedisServer::available()) {
      GTEST_SKIP() << "redis-server is not installed";
    }
  }

  static RedisOptions options_for(std::string url) {
    return RedisOptions{.url = std::move(url),
                        .command_timeout = 2000ms,
                        .connect_timeout = 2000ms,
                        .reconnect_delay_min = 50ms,
                        .reconnect_delay_max = 500ms};
  }
};

template <typename Work>
std::chrono::milliseconds time_of(Work work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

TEST_F(RedisClientTest, AnswersEveryReplyType) {
  const std::string binary{"a\0b\r\nc", 6};
  EXPECT_EQ(run({"SET", prefix_ + "k", binary}).type, RedisReply::Type::status);
  const auto got = run({"GET", prefix_ + "k"});
  EXPECT_EQ(got.type, RedisReply::Type::string);
  EXPECT_EQ(got.text, binary);
  EXPECT_TRUE(run({"GET", prefix_ + "missing"}).is_nil());
  EXPECT_EQ(run({"INCRBY", prefix_ + "n", "41"}).as_integer("INCRBY"), 41);
  run({"RPUSH", prefix_ + "list", "x", "y"});
  const auto list = run({"LRANGE", prefix_ + "list", "0", "-1"});
  ASSERT_EQ(list.as_array("LRANGE").size(), 2U);
  EXPECT_EQ(list.elements[1].text, "y");
  run({"DEL", prefix_ + "k", prefix_ + "n", prefix_ + "list"});
  EXPECT_NO_THROW(run_sync(client_->ping()));
  EXPECT_TRUE(client_->connected());
}

TEST_F(RedisClientTest, CarriesValuesLargerThanOneSocketRead) {
  // Several MiB arrive over many reads; a stadium's seat statuses are a few hundred KiB.
  std::string large(3 * 1024 * 1024 + 7, 'x');
  large[12345] = '\0';
  run({"SET", prefix_ + "large", large});
  const auto got = run({"GET", prefix_ + "large"});
  EXPECT_EQ(got.text.size(), large.size());
  EXPECT_TRUE(got.text == large);
  run({"DEL", prefix_ + "large"});
}

TEST_F(RedisClientTest, ReturnsErrorRepliesWithoutThrowing) {
  const auto unknown = run({"NO-SUCH-COMMAND"});
  EXPECT_TRUE(unknown.is_error());
  EXPECT_TRUE(unknown.is_error("ERR"));
  run({"SET", prefix_ + "s", "text"});
  const auto wrong_type = run({"LPUSH", prefix_ + "s", "x"});
  EXPECT_TRUE(wrong_type.is_error("WRONGTYPE"));
  EXPECT_THROW(wrong_type.expect_ok("LPUSH"), RedisError);
  // The connection is still fine afterwards.
  EXPECT_EQ(run({"GET", prefix_ + "s"}).text, "text");
  run({"DEL", prefix_ + "s"});
}

TEST_F(RedisClientTest, PipelinesCommandsOfManyCoroutinesOnTwoThreads) {
  constexpr int coroutines = 100;
  constexpr int commands_each = 20;
  boost::asio::io_context io{2};
  std::atomic<int> finished{0};
  std::atomic<int> failures{0};
  const auto counter = prefix_ + "counter";
  for (int i = 0; i < coroutines; ++i) {
    auto worker = [&, i]() -> boost::asio::awaitable<void> {
      try {
        for (int n = 0; n < commands_each; ++n) {
          Args incr{"INCR", counter};
          co_await client_->command(std::move(incr));
          // Each coroutine's own key checks that replies reach the right caller.
          const auto own = prefix_ + "own:" + std::to_string(i);
          Args set{"SET", own, std::to_string(n)};
          co_await client_->command(std::move(set));
          Args get{"GET", own};
          const auto reply = co_await client_->command(std::move(get));
          if (reply.text != std::to_string(n)) {
            ++failures;
          }
        }
      } catch (const std::exception&) {
        ++failures;
      }
      ++finished;
    };
    boost::asio::co_spawn(io, std::move(worker), boost::asio::detached);
  }
  std::thread second{[&io] { io.run(); }};
  io.run();
  second.join();
  EXPECT_EQ(finished, coroutines);
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(run({"GET", counter}).text, std::to_string(coroutines * commands_each));
  Args cleanup{"DEL", counter};
  for (int i = 0; i < coroutines; ++i) {
    cleanup.push_back(prefix_ + "own:" + std::to_string(i));
  }
  run(std::move(cleanup));
}

// The connection a command went out on, as Redis numbers it.
std::int64_t connection_of_command(RedisClient& client, boost::asio::io_context& loop) {
  std::int64_t id = -1;
  auto ask = [&]() -> boost::asio::awaitable<void> {
    Args client_id{"CLIENT", "ID"};
    id = (co_await client.command(std::move(client_id))).integer;
  };
  // The loop's own connection keeps it busy for good: stop it once the answer is in.
  boost::asio::co_spawn(loop, std::move(ask), [&loop](const std::exception_ptr&) { loop.stop(); });
  loop.restart();
  loop.run();
  return id;
}

TEST_F(RedisClientTest, EachAttachedLoopHasAConnectionOfItsOwn) {
  boost::asio::io_context first{1};
  boost::asio::io_context second{1};
  client_->attach_event_loops({&first, &second});

  const auto on_first = connection_of_command(*client_, first);
  const auto on_second = connection_of_command(*client_, second);
  const auto elsewhere = run({"CLIENT", "ID"}).integer;
  EXPECT_GT(on_first, 0);
  EXPECT_GT(on_second, 0);
  EXPECT_NE(on_first, on_second);
  EXPECT_NE(on_first, elsewhere);
  EXPECT_NE(on_second, elsewhere);
  // A loop keeps its connection from one command to the next.
  EXPECT_EQ(connection_of_command(*client_, first), on_first);

  // Many coroutines of one loop share its connection, each with its own replies.
  constexpr int coroutines = 50;
  std::atomic<int> right{0};
  std::atomic<int> finished{0};
  for (int i = 0; i < coroutines; ++i) {
    auto worker = [&, i]() -> boost::asio::awaitable<void> {
      const auto key = prefix_ + "loop:" + std::to_string(i);
      Args set{"SET", key, std::to_string(i)};
      co_await client_->command(std::move(set));
      Args get{"GET", key};
      if ((co_await client_->command(std::move(get))).text == std::to_string(i)) {
        ++right;
      }
    };
    boost::asio::co_spawn(first, std::move(worker), [&](const std::exception_ptr&) {
      if (++finished == coroutines) {
        first.stop();
      }
    });
  }
  first.restart();
  first.run();
  EXPECT_EQ(right, coroutines);

  // Once detached (the loops are never run again), other callers' commands go through
  // the shared connection.
  client_->detach_event_loops();
  boost::asio::io_context later{1};
  EXPECT_EQ(connection_of_command(*client_, later), elsewhere);
  Args cleanup{"DEL"};
  for (int i = 0; i < coroutines; ++i) {
    cleanup.push_back(prefix_ + "loop:" + std::to_string(i));
  }
  run(std::move(cleanup));
}

TEST_F(RedisClientTest, ALoopThatNeverRanDetachesAtOnce) {
  boost::asio::io_context loop{1};
  client_->attach_event_loops({&loop});
  const auto took = time_of([&] { client_->detach_event_loops(); });
  EXPECT_LT(took, 1000ms);
  EXPECT_EQ(run({"PING"}).text, "PONG");
}

TEST_F(RedisClientTest, RunsScriptsAndReloadsThemAfterAScriptFlush) {
  const RedisScript script{"return {KEYS[1], ARGV[1], tonumber(ARGV[2]) + 1}"};
  auto call = [&] {
    Args keys{prefix_ + "key"};
    Args args{"value", "41"};
    return run_sync(client_->eval(script, std::move(keys), std::move(args)));
  };
  const auto first = call();
  ASSERT_EQ(first.as_array("script").size(), 3U);
  EXPECT_EQ(first.elements[0].text, prefix_ + "key");
  EXPECT_EQ(first.elements[1].text, "value");
  EXPECT_EQ(first.elements[2].integer, 42);

  run({"SCRIPT", "FLUSH"});
  EXPECT_EQ(call().elements[2].integer, 42);
  // The fallback cached it again: EVALSHA works once more.
  EXPECT_EQ(call().elements[2].integer, 42);
}

TEST_F(RedisClientTest, FillsInTheServersRunIdWhenAsked) {
  const RedisScript script{"return {ARGV[1], ARGV[2], KEYS[1]}"};
  Args keys{prefix_ + "key"};
  Args args{"mine"};
  const auto reply = run_sync(
      client_->eval(script, std::move(keys), std::move(args), RedisClient::ServerId::first_arg));
  const auto info = run({"INFO", "server"}).text;
  ASSERT_EQ(reply.as_array("script").size(), 3U);
  EXPECT_EQ(reply.elements[0].text.size(), 40U);
  EXPECT_NE(info.find("run_id:" + reply.elements[0].text), std::string::npos);
  EXPECT_EQ(reply.elements[1].text, "mine");
  EXPECT_EQ(reply.elements[2].text, prefix_ + "key");
}

TEST_F(RedisClientTest, AScriptErrorIsAnErrorReply) {
  const RedisScript script{"return redis.call('NO-SUCH-COMMAND')"};
  Args keys;
  Args args;
  const auto reply = run_sync(client_->eval(script, std::move(keys), std::move(args)));
  EXPECT_TRUE(reply.is_error());
}

TEST_F(RedisFaultTest, FailsQuicklyWhenNothingListens) {
  const auto port = testing::free_port();
  RedisClient client{options_for("redis://127.0.0.1:" + std::to_string(port) + "/0")};
  const auto took = time_of([&] { EXPECT_THROW(run_command(client, {"PING"}), StoreUnavailable); });
  EXPECT_LT(took, 3000ms);
  EXPECT_FALSE(client.connected());
}

TEST_F(RedisFaultTest, ReconnectsAfterTheServerRestarts) {
  PrivateRedisServer server;
  std::mutex mutex;
  std::vector<std::string> told;
  auto options = options_for(server.url());
  options.log = [&](const std::string& message) {
    std::scoped_lock lock{mutex};
    told.push_back(message);
  };
  RedisClient client{std::move(options)};
  ASSERT_TRUE(eventually([&] { run_sync(client.ping()); }, 5s));
  run_command(client, {"SET", "before", "1"});
  const auto info = run_command(client, {"INFO", "server"}).text;
  const auto before_id = info.substr(info.find("run_id:") + 7, 40);

  server.stop();
  const auto took = time_of([&] {
    EXPECT_THROW(run_command(client, {"GET", "before"}), StoreUnavailable);
  });
  EXPECT_LT(took, 3000ms);

  server.start();
  EXPECT_TRUE(eventually([&] { run_sync(client.ping()); }, 5s));
  EXPECT_TRUE(client.connected());
  // A fresh server without persistence: the key is gone, the connection works.
  EXPECT_TRUE(run_command(client, {"GET", "before"}).is_nil());
  // The restarted server is another server: scripts can tell.
  const RedisScript whoami{"return ARGV[1]"};
  Args keys;
  Args args;
  const auto after = run_sync(
      client.eval(whoami, std::move(keys), std::move(args), RedisClient::ServerId::first_arg));
  EXPECT_EQ(after.text.size(), 40U);
  EXPECT_NE(after.text, before_id);
  // One line for the outage however many attempts it took, one for the recovery.
  std::scoped_lock lock{mutex};
  ASSERT_EQ(told.size(), 2U);
  EXPECT_NE(told[0].find("lost"), std::string::npos) << told[0];
  EXPECT_NE(told[1].find("connected"), std::string::npos) << told[1];
}

TEST_F(RedisFaultTest, AHungServerGivesStoreUnavailableWithinTheTimeout) {
  PrivateRedisServer server;
  RedisClient client{options_for(server.url())};
  ASSERT_TRUE(eventually([&] { run_sync(client.ping()); }, 5s));

  server.pause();
  const auto took = time_of([&] { EXPECT_THROW(run_command(client, {"PING"}), StoreUnavailable); });
  EXPECT_GE(took, 1500ms);
  EXPECT_LT(took, 3000ms);
  // While it stays hung, reconnecting fails too, and quickly.
  const auto again =
      time_of([&] { EXPECT_THROW(run_command(client, {"PING"}), StoreUnavailable); });
  EXPECT_LT(again, 3000ms);

  server.resume();
  EXPECT_TRUE(eventually([&] { run_sync(client.ping()); }, 6s));
}

TEST_F(RedisFaultTest, AuthenticatesAndSelectsTheDatabaseFromTheUrl) {
  PrivateRedisServer server{{"--requirepass", "p@ss word"}};
  const auto base = "redis://:p%40ss%20word@127.0.0.1:" + std::to_string(server.port());
  RedisClient on_three{options_for(base + "/3")};
  RedisClient on_zero{options_for(base + "/0")};
  ASSERT_TRUE(eventually([&] { run_sync(on_three.ping()); }, 5s));
  ASSERT_TRUE(eventually([&] { run_sync(on_zero.ping()); }, 5s));

  run_command(on_three, {"SET", "where", "three"});
  EXPECT_EQ(run_command(on_three, {"GET", "where"}).text, "three");
  EXPECT_TRUE(run_command(on_zero, {"GET", "where"}).is_nil());
}

TEST_F(RedisFaultTest, AWrongPasswordIsUnavailableNotAnErrorReply) {
  PrivateRedisServer server{{"--requirepass", "right"}};
  RedisClient client{
      options_for("redis://:wrong@127.0.0.1:" + std::to_string(server.port()) + "/0")};
  const auto took = time_of([&] { EXPECT_THROW(run_command(client, {"PING"}), StoreUnavailable); });
  EXPECT_LT(took, 3000ms);
  EXPECT_FALSE(client.connected());
}

TEST_F(RedisFaultTest, CommandsInFlightWhenTheClientIsDestroyedFail) {
  PrivateRedisServer server;
  auto client = std::make_unique<RedisClient>(options_for(server.url()));
  ASSERT_TRUE(eventually([&] { run_sync(client->ping()); }, 5s));
  server.pause();

  boost::asio::io_context io;
  std::atomic<bool> unavailable{false};
  auto waiter = [&]() -> boost::asio::awaitable<void> {
    try {
      Args ping{"PING"};
      co_await client->command(std::move(ping));
    } catch (const StoreUnavailable&) {
      unavailable = true;
    }
  };
  boost::asio::co_spawn(io, std::move(waiter), boost::asio::detached);
  io.run_for(200ms);
  const auto took = time_of([&] { client.reset(); });
  io.run();
  EXPECT_TRUE(unavailable);
  EXPECT_LT(took, 1000ms);
  server.resume();
}

}  // namespace
}  // namespace boxoffice::store::redis
