#include "rush/workers.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace boxoffice::rush {

namespace asio = boost::asio;

Worker::Worker(std::size_t index, const Endpoint& endpoint, PoolOptions pool_options,
               std::uint64_t seed)
    : index_(index),
      pool_(
          std::make_unique<ConnectionPool>(io_.get_executor(), endpoint, std::move(pool_options))),
      random_(seed) {}

Worker::~Worker() {
  // The pool's sockets belong to io_: they go first.
  pool_.reset();
}

asio::awaitable<Response> Worker::call(std::string_view operation, const Request& request) {
  auto response = co_await pool_->send(request);
  recorder_.record(operation, response);
  co_return response;
}

asio::awaitable<Response> Worker::call_patiently(std::string_view operation, const Request& request,
                                                 Clock::time_point deadline) {
  for (int attempt = 0;; ++attempt) {
    auto response = co_await call(operation, request);
    const bool shed = response.status == 429 || response.status == 503;
    if (!shed || Clock::now() >= deadline) {
      co_return response;
    }
    co_await sleep(backoff(response, attempt));
  }
}

asio::awaitable<void> Worker::sleep(std::chrono::milliseconds duration) {
  asio::steady_timer timer{io_, duration};
  co_await timer.async_wait(asio::use_awaitable);
}

std::chrono::milliseconds Worker::backoff(const Response& response, int attempt) {
  std::chrono::milliseconds base{0};
  if (response.retry_after_seconds > 0) {
    base = std::chrono::seconds{response.retry_after_seconds};
  } else if (response.status == 429 || response.status == 503) {
    base = std::chrono::milliseconds{response.retry_after_seconds == 0 ? 100 : 500};
  } else {
    // Faults come without advice: 50 ms, doubling per attempt up to 1.6 s.
    base = std::chrono::milliseconds{50 << std::min(attempt, 5)};
  }
  std::uniform_int_distribution<std::int64_t> jitter{0, base.count() / 5};
  return base + std::chrono::milliseconds{jitter(random_)};
}

Workers::Workers(const RunOptions& options, std::size_t connections) {
  const auto endpoint = parse_base_url(options.url);
  const auto threads = std::max<std::size_t>(options.threads, 1);
  const auto total = std::max(connections == 0 ? options.connections : connections, threads);
  const auto sources = loopback_sources(options.source_addresses);
  std::random_device device;
  const std::uint64_t seed =
      options.seed != 0 ? options.seed : (std::uint64_t{device()} << 32U) ^ device();
  std::size_t first = 0;
  for (std::size_t i = 0; i < threads; ++i) {
    PoolOptions pool;
    pool.connections = total / threads + (i < total % threads ? 1 : 0);
    pool.timeout = options.timeout;
    pool.sources = sources;
    pool.first_index = first;
    first += pool.connections;
    workers_.push_back(std::make_unique<Worker>(i, endpoint, std::move(pool), seed + i * 7919));
  }
}

void Workers::run(std::size_t users, const VirtualUser& user) {
  std::atomic<std::uint64_t> crashed{0};
  std::mutex stderr_mutex;
  for (std::size_t i = 0; i < users; ++i) {
    auto& worker = *workers_[i % workers_.size()];
    auto on_done = [&crashed, &stderr_mutex, i](const std::exception_ptr& error) {
      if (!error) {
        return;
      }
      ++crashed;
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& exception) {
        const std::lock_guard lock{stderr_mutex};
        std::cerr << "virtual user " << i << " stopped: " << exception.what() << "\n";
      }
    };
    asio::co_spawn(worker.io(), user(worker, i), std::move(on_done));
  }
  std::vector<std::thread> threads;
  for (auto& worker : workers_) {
    auto* io = &worker->io();
    threads.emplace_back([io] {
      io->restart();
      io->run();
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  crashed_users_ += crashed.load();
}

Recorder Workers::merged_recorder() const {
  Recorder merged;
  for (const auto& worker : workers_) {
    merged.merge(worker->recorder());
  }
  return merged;
}

std::uint64_t Workers::connects() const {
  std::uint64_t total = 0;
  for (const auto& worker : workers_) {
    total += worker->connects();
  }
  return total;
}

std::vector<asio::ip::address> loopback_sources(std::size_t count) {
  constexpr std::size_t max_sources = 253;
  if (count > max_sources) {
    throw std::invalid_argument("--source-addresses is at most 253 (127.0.0.2 .. 127.0.0.254)");
  }
  std::vector<asio::ip::address> sources;
  for (std::size_t i = 0; i < count; ++i) {
    sources.emplace_back(asio::ip::make_address_v4("127.0.0." + std::to_string(i + 2)));
  }
  return sources;
}

std::string random_token(std::mt19937_64& random, std::size_t length) {
  static constexpr std::string_view alphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::uniform_int_distribution<std::size_t> pick{0, alphabet.size() - 1};
  std::string token(length, ' ');
  for (auto& c : token) {
    c = alphabet[pick(random)];
  }
  return token;
}

}  // namespace boxoffice::rush
