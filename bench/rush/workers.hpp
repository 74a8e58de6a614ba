// Worker threads and virtual users. Each thread runs its own io_context with its own
// connection pool and recorder, so the hot path takes no locks; a virtual user is one
// coroutine on one thread, and thousands share a thread.
#pragma once

#include "rush/http_client.hpp"
#include "rush/stats.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace boxoffice::rush {

using Clock = std::chrono::steady_clock;

struct RunOptions {
  std::string url = "http://127.0.0.1:8080";
  std::size_t connections = 256;
  std::size_t threads = 2;
  std::size_t source_addresses = 0;
  std::chrono::milliseconds timeout{10'000};
  std::uint64_t seed = 0;  // 0: a new one each run
};

class Worker {
 public:
  Worker(std::size_t index, const Endpoint& endpoint, PoolOptions pool_options, std::uint64_t seed);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker();

  [[nodiscard]] std::size_t index() const noexcept { return index_; }
  boost::asio::io_context& io() { return io_; }
  Recorder& recorder() { return recorder_; }
  std::mt19937_64& random() { return random_; }
  [[nodiscard]] std::uint64_t connects() const { return pool_->connects(); }

  // One request, recorded under `operation`.
  boost::asio::awaitable<Response> call(std::string_view operation, const Request& request);
  // Like call, but 429 and 503 are waited out (Retry-After, else half a second) and the
  // request sent again, until `deadline`; each attempt is recorded.
  boost::asio::awaitable<Response> call_patiently(std::string_view operation,
                                                  const Request& request,
                                                  Clock::time_point deadline);
  boost::asio::awaitable<void> sleep(std::chrono::milliseconds duration);
  // How long to wait before sending again after `response`: Retry-After with up to 20 %
  // jitter, so that a crowd told "1 s" does not come back in one burst.
  std::chrono::milliseconds backoff(const Response& response, int attempt);

 private:
  std::size_t index_;
  boost::asio::io_context io_{1};
  std::unique_ptr<ConnectionPool> pool_;
  Recorder recorder_;
  std::mt19937_64 random_;
};

// A virtual user: its worker and its number, 0..users-1.
using VirtualUser = std::function<boost::asio::awaitable<void>(Worker&, std::size_t)>;

class Workers {
 public:
  explicit Workers(const RunOptions& options, std::size_t connections = 0);

  // Runs `users` virtual users, spread round-robin over the threads, until all return.
  // A virtual user that throws is reported on stderr and counted; the others go on.
  void run(std::size_t users, const VirtualUser& user);

  [[nodiscard]] Recorder merged_recorder() const;
  [[nodiscard]] std::uint64_t crashed_users() const noexcept { return crashed_users_; }
  [[nodiscard]] std::uint64_t connects() const;
  [[nodiscard]] std::size_t threads() const noexcept { return workers_.size(); }

 private:
  std::vector<std::unique_ptr<Worker>> workers_;
  std::uint64_t crashed_users_ = 0;
};

// Addresses 127.0.0.2 .. 127.0.0.(count+1), for --source-addresses.
std::vector<boost::asio::ip::address> loopback_sources(std::size_t count);

// A random printable token of `length` characters (idempotency keys, passwords).
std::string random_token(std::mt19937_64& random, std::size_t length);

}  // namespace boxoffice::rush
