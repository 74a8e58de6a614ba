// Group commit for the writes of the order path. With every commit flushed to disk
// (innodb_flush_log_at_trx_commit=1, sync_binlog=1) a commit costs an fsync, and under an
// on-sale rush one fsync per order caps sales at the disk's flush rate. Here requests that
// arrive while a batch is committing wait for the next batch, so one commit carries every
// order that arrived meanwhile, while a lone request still commits at once. Each request
// stays all-or-nothing inside the batch (the batch work gives each its own savepoint), and
// each caller is answered only after the commit that carries its request.
#pragma once

#include "store/mysql/mysql_pool.hpp"

#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace boxoffice::store::mysql {

template <typename Request, typename Result>
class CommitBatcher {
 public:
  // Runs a whole batch in one transaction and returns one result per request, in order.
  // Like any MysqlPool work it may run again after a lost connection or a deadlock, so
  // each request's part must check for its own earlier effect (Attempt).
  using BatchWork =
      std::function<std::vector<Result>(Connection&, const Attempt&, const std::vector<Request>&)>;

  // `max_batch` bounds a transaction's size (lock time, undo); `max_in_flight` how many
  // batches commit at once (each holds a connection: leave some for reads).
  CommitBatcher(MysqlPool& pool, BatchWork work, std::size_t max_batch, std::size_t max_in_flight)
      : pool_(pool),
        work_(std::move(work)),
        max_batch_(max_batch == 0 ? 1 : max_batch),
        max_in_flight_(max_in_flight == 0 ? 1 : max_in_flight) {}
  CommitBatcher(const CommitBatcher&) = delete;
  CommitBatcher& operator=(const CommitBatcher&) = delete;

  boost::asio::awaitable<Result> submit(Request request) {
    // The channel's own executor is the system one: the database thread may drop the last
    // reference after this coroutine (and its io_context) are gone, and destroying the
    // channel must not touch them. The receive still resumes on this coroutine's executor.
    auto reply = std::make_shared<Reply>(boost::asio::system_executor{}, 1);
    enqueue(std::move(request), reply);
    auto outcome = co_await reply->async_receive(boost::asio::use_awaitable);
    if (outcome.failure) {
      std::rethrow_exception(outcome.failure);
    }
    co_return std::move(outcome.result);
  }

 private:
  struct Outcome {
    std::exception_ptr failure;
    Result result{};
  };
  // Thread-safe: the database thread sends, and the waiting coroutine resumes on its own
  // executor, never on the database thread.
  using Reply =
      boost::asio::experimental::concurrent_channel<void(boost::system::error_code, Outcome)>;
  struct Waiting {
    Request request;
    std::shared_ptr<Reply> reply;
  };

  void enqueue(Request request, std::shared_ptr<Reply> reply) {
    {
      std::scoped_lock lock{mutex_};
      queue_.push_back({std::move(request), std::move(reply)});
      if (flushing_ >= max_in_flight_) {
        return;  // a running flusher takes it with its next batch
      }
      ++flushing_;
    }
    pool_.post([this](Connection& connection) { flush_until_empty(connection); });
  }

  // Runs on a database thread with a connection of its own, batch after batch, until
  // nothing waits.
  void flush_until_empty(Connection& connection) {
    for (;;) {
      std::vector<Waiting> batch;
      {
        std::scoped_lock lock{mutex_};
        if (queue_.empty()) {
          --flushing_;
          return;
        }
        while (!queue_.empty() && batch.size() < max_batch_) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      std::vector<Request> requests;
      requests.reserve(batch.size());
      for (auto& waiting : batch) {
        requests.push_back(std::move(waiting.request));
      }
      std::vector<Result> results;
      std::exception_ptr failure;
      try {
        auto whole_batch = [&](Connection& leased, const Attempt& attempt) {
          return work_(leased, attempt, requests);
        };
        results = pool_.with_retries(connection, whole_batch);
        if (results.size() != batch.size()) {
          throw std::logic_error("a batch answered a different number of results");
        }
      } catch (...) {
        failure = std::current_exception();
      }
      for (std::size_t i = 0; i < batch.size(); ++i) {
        // Room for one message, so this never waits and never fails.
        batch[i].reply->try_send(boost::system::error_code{},
                                 Outcome{failure, failure ? Result{} : std::move(results[i])});
      }
    }
  }

  MysqlPool& pool_;
  BatchWork work_;
  std::size_t max_batch_;
  std::size_t max_in_flight_;
  std::mutex mutex_;
  std::deque<Waiting> queue_;
  std::size_t flushing_ = 0;
};

}  // namespace boxoffice::store::mysql
