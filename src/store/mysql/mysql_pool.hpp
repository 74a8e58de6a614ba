// MariaDB connections checked out one per blocking-pool thread, so the client library's
// blocking calls never run on an I/O thread; and the one place that decides what a failed
// call means: retried, 503 (StoreUnavailable), or passed on.
#pragma once

#include "common/blocking_pool.hpp"
#include "store/mysql/mysql_connection.hpp"
#include "store/store_errors.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace boxoffice::store::mysql {

// What a unit of work may need to know about earlier tries of itself.
struct Attempt {
  // 1 on the first try.
  int number = 1;
  // An earlier try lost its connection while its write may have been committing. Work
  // that is not naturally idempotent checks whether its own earlier try took effect
  // before it reports "someone else got there first".
  bool earlier_outcome_unknown = false;
};

struct RetryPolicy {
  // Tries in all, first included. A group commit that loses a deadlock takes its whole
  // batch back with it, so a few more tries than one statement would need.
  int attempts_max = 5;
  // Sleep before try n+1 is backoff * n: short, since the conflicts it waits out (a
  // deadlock victim, a restarted server) clear in milliseconds.
  std::chrono::milliseconds backoff{20};
  // No new try starts once the work has taken this long (e.g. a read timed out on a
  // hung server), so a request fails in about one timeout rather than three. Below the
  // read timeout: a try that timed out is not followed by another.
  std::chrono::milliseconds budget{2500};
};

class MysqlPool {
 public:
  MysqlPool(const ConnectionSettings& settings, std::size_t size, RetryPolicy policy = {});

  // Runs `work(Connection&, const Attempt&)` on a database thread with a connection of
  // its own. Deadlocks, lock wait timeouts and lost connections run it again (on a fresh
  // connection when the old one broke), up to the policy's bounds; each unit of work is
  // written so that running it again is harmless. A server that cannot be reached, or
  // that still fails after the retries, becomes StoreUnavailable (503). Not a coroutine,
  // for the reason given at BlockingPool::run.
  template <typename Work>
  auto run(Work work)
      -> boost::asio::awaitable<std::invoke_result_t<Work&, Connection&, const Attempt&>> {
    return threads_.run([this, work = std::move(work)]() mutable {
      Lease lease{*this};
      return with_retries(*lease.connection, work);
    });
  }

  // Runs `work(Connection&)` on a database thread with a connection of its own, without
  // waiting: for work that answers its callers itself (GroupCommit). Must not throw.
  template <typename Work>
  void post(Work work) {
    threads_.post([this, work = std::move(work)]() mutable {
      Lease lease{*this};
      work(*lease.connection);
    });
  }

  // Waits for every queued unit of work, so that what they reference may go.
  void join() { threads_.join(); }

  // The retry rules of run(), for work already on a database thread with a connection.
  template <typename Work>
  auto with_retries(Connection& connection, Work& work)
      -> std::invoke_result_t<Work&, Connection&, const Attempt&> {
    const auto started = std::chrono::steady_clock::now();
    Attempt attempt;
    for (;; ++attempt.number) {
      try {
        connection.ensure_connected();
        return work(connection, static_cast<const Attempt&>(attempt));
      } catch (const MysqlError& error) {
        if (connection.broken()) {
          connection.disconnect();
        }
        attempt.earlier_outcome_unknown =
            attempt.earlier_outcome_unknown || error.outcome_unknown();
        const bool retryable = error.is_lock_conflict() || error.is_connection_lost();
        const bool in_budget = std::chrono::steady_clock::now() - started < policy_.budget;
        if (retryable && in_budget && attempt.number < policy_.attempts_max) {
          std::this_thread::sleep_for(policy_.backoff * attempt.number);
          continue;
        }
        if (retryable || error.is_unreachable()) {
          throw StoreUnavailable(error.what());
        }
        throw;
      }
    }
  }

 private:
  struct Lease {
    explicit Lease(MysqlPool& pool);
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    MysqlPool& pool;
    Connection* connection;
  };

  RetryPolicy policy_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> idle_;
  std::mutex mutex_;
  std::condition_variable released_;
  BlockingPool threads_;
};

}  // namespace boxoffice::store::mysql
