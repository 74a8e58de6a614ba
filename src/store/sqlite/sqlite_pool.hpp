// SQLite connections checked out one per blocking-pool thread, so SQLite's blocking
// calls never run on an I/O thread.
#pragma once

#include "common/blocking_pool.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store_errors.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace boxoffice::store::sqlite {

class SqlitePool {
 public:
  SqlitePool(const std::string& path, std::size_t size);

  // Runs `work(Connection&)` on a database thread with a connection of its own. Not a
  // coroutine, for the reason given at BlockingPool::run.
  template <typename Work>
  auto run(Work work) -> boost::asio::awaitable<std::invoke_result_t<Work, Connection&>> {
    return threads_.run([this, work = std::move(work)]() mutable {
      Lease lease{*this};
      try {
        return work(*lease.connection);
      } catch (const SqliteError& error) {
        // The write lock stayed taken for the whole busy timeout: the database is
        // overloaded, not broken, and the client should come back shortly (503). The
        // transaction was rolled back, so nothing of the request was kept.
        if (error.is_busy()) {
          throw StoreUnavailable(error.what());
        }
        throw;
      }
    });
  }

  Connection& migration_connection() { return *connections_.front(); }

 private:
  struct Lease {
    explicit Lease(SqlitePool& pool);
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    SqlitePool& pool;
    Connection* connection;
  };

  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> idle_;
  std::mutex mutex_;
  std::condition_variable released_;
  BlockingPool threads_;
};

}  // namespace boxoffice::store::sqlite
