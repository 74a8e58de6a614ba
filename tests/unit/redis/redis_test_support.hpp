// What the Redis tests share: the server they talk to (BOXOFFICE_TEST_REDIS_URL; the tests
// skip without it), a private redis-server they may stop, pause and restart for the fault
// tests, and a clock that only moves when a test moves it.
#pragma once

#include "common/clock.hpp"
#include "common/random.hpp"
#include "common/run_sync.hpp"
#include "store/redis/redis_client.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace boxoffice::store::redis::testing {

inline std::optional<std::string> test_redis_url() {
  const char* url = std::getenv("BOXOFFICE_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') {
    return std::nullopt;
  }
  return std::string{url};
}

// Commands for tests, run to completion on a private io_context.
inline RedisReply run_command(RedisClient& client, std::vector<std::string> args) {
  return run_sync(client.command(std::move(args)));
}

class TestClock final : public Clock {
 public:
  explicit TestClock(TimePoint start) : ticks_(start.time_since_epoch().count()) {}

  [[nodiscard]] TimePoint now() const override { return TimePoint{TimePoint::duration{ticks_}}; }
  void set(TimePoint time) { ticks_ = time.time_since_epoch().count(); }
  void advance(TimePoint::duration by) { ticks_ += by.count(); }

 private:
  std::atomic<TimePoint::rep> ticks_;
};

// A free loopback port: bound to port 0, read back, released.
inline int free_port() {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(socket_fd);
    throw std::runtime_error("no free port");
  }
  ::close(socket_fd);
  return ntohs(address.sin_port);
}

inline bool port_accepts(int port) {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool accepted =
      ::connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(socket_fd);
  return accepted;
}

// A redis-server of the test's own, on a free port and a temporary folder, without
// persistence. Stopped (and the folder removed) on destruction.
class PrivateRedisServer {
 public:
  explicit PrivateRedisServer(std::vector<std::string> extra_args = {})
      : port_(free_port()),
        dir_(std::filesystem::temp_directory_path() / ("boxoffice-redis-" + random_hex(8))),
        extra_args_(std::move(extra_args)) {
    std::filesystem::create_directories(dir_);
    start();
  }
  PrivateRedisServer(const PrivateRedisServer&) = delete;
  PrivateRedisServer& operator=(const PrivateRedisServer&) = delete;
  ~PrivateRedisServer() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  static bool available() { return std::system("command -v redis-server >/dev/null 2>&1") == 0; }

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url() const {
    return "redis://127.0.0.1:" + std::to_string(port_) + "/0";
  }

  void start() {
    std::vector<std::string> args{"redis-server",
                                  "--port",
                                  std::to_string(port_),
                                  "--bind",
                                  "127.0.0.1",
                                  "--save",
                                  "",
                                  "--appendonly",
                                  "no",
                                  "--dir",
                                  dir_.string(),
                                  "--daemonize",
                                  "no",
                                  "--loglevel",
                                  "warning"};
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    std::vector<char*> argv;
    for (auto& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    const int failed = posix_spawnp(&pid_, "redis-server", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed != 0) {
      throw std::runtime_error("cannot start redis-server");
    }
    for (int tries = 0; tries < 500 && !port_accepts(port_); ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
  }

  void stop() {
    if (pid_ <= 0) {
      return;
    }
    ::kill(pid_, SIGCONT);
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  void pause() { ::kill(pid_, SIGSTOP); }
  void resume() { ::kill(pid_, SIGCONT); }

 private:
  int port_;
  std::filesystem::path dir_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
};

// Retries `probe` until it stops throwing or `limit` passes; true when it succeeded.
template <typename Probe>
bool eventually(Probe probe, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    try {
      probe();
      return true;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
  }
  return false;
}

}  // namespace boxoffice::store::redis::testing
