// Group commit for durable writes. With every commit flushed to disk a commit costs an
// fsync, and under an on-sale rush one fsync per request caps the rate at the disk's
// flush rate. Here requests that arrive while a batch is committing wait for the next
// batch, so one commit carries every request that arrived meanwhile, while a lone request
// still commits at once. Each caller is answered only after the commit that carries its
// request. Used by the order path's MariaDB writes and by the test payment provider's
// ledger.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace boxoffice {

// `Context` is what a batch commits through (a database connection), handed over by the
// thread that runs the batch.
template <typename Request, typename Result, typename Context>
class GroupCommit {
 public:
  // Commits a whole batch and returns one result per request, in order. An exception
  // fails every request of the batch with it; each request must stay all-or-nothing
  // inside the batch by its own means (a savepoint, or statements that cannot half fail).
  using BatchWork = std::function<std::vector<Result>(Context&, const std::vector<Request>&)>;
  using Job = std::function<void(Context&)>;
  // Runs a job later on a thread that may block, with a context of its own. Must not
  // throw (it only queues the job): a job lost here would leave its requests unanswered.
  using Launch = std::function<void(Job)>;

  // `max_batch` bounds a commit's size (lock time, undo); `max_in_flight` how many
  // batches commit at once (each holds a thread and a context: leave some for reads).
  GroupCommit(Launch launch, BatchWork work, std::size_t max_batch, std::size_t max_in_flight)
      : launch_(std::move(launch)),
        work_(std::move(work)),
        max_batch_(max_batch == 0 ? 1 : max_batch),
        max_in_flight_(max_in_flight == 0 ? 1 : max_in_flight) {}
  // Every launched job must have run before this is destroyed: join the threads that run
  // them first.
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  boost::asio::awaitable<Result> submit(Request request) {
    // The channel's own executor is the system one: the committing thread may drop the
    // last reference after this coroutine (and its io_context) are gone, and destroying
    // the channel must not touch them. The receive still resumes on this coroutine's
    // executor.
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
  // Thread-safe: the committing thread sends, and the waiting coroutine resumes on its
  // own executor, never on the committing thread.
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
    launch_([this](Context& context) { flush_one_batch(context); });
  }

  // Runs on a committing thread. After its batch it goes back to the end of the thread's
  // queue rather than looping, so that other work waiting for the same threads (a read
  // on a one-thread pool) is not starved by a steady stream of writes.
  void flush_one_batch(Context& context) {
    std::vector<Waiting> batch;
    {
      std::scoped_lock lock{mutex_};
      // Another flusher may have taken everything since this one was launched.
      if (queue_.empty()) {
        --flushing_;
        return;
      }
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_and_answer(context, batch);
    {
      std::scoped_lock lock{mutex_};
      if (queue_.empty()) {
        --flushing_;
        return;
      }
    }
    launch_([this](Context& next) { flush_one_batch(next); });
  }

  void commit_and_answer(Context& context, std::vector<Waiting>& batch) {
    std::vector<Request> requests;
    requests.reserve(batch.size());
    for (auto& waiting : batch) {
      requests.push_back(std::move(waiting.request));
    }
    std::vector<Result> results;
    std::exception_ptr failure;
    try {
      results = work_(context, requests);
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

  Launch launch_;
  BatchWork work_;
  std::size_t max_batch_;
  std::size_t max_in_flight_;
  std::mutex mutex_;
  std::deque<Waiting> queue_;
  std::size_t flushing_ = 0;
};

}  // namespace boxoffice
