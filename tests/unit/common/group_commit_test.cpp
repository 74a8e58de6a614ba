// Tests of the group commit on a real thread pool: requests that arrive during a commit
// share the next one, each caller gets its own result, a failing batch fails only its own
// callers, and other work on the same thread runs between batches.
#include "common/group_commit.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace boxoffice {
namespace {

using namespace std::chrono_literals;

// What a batch commits through: here, the log of what the committing thread did.
struct Journal {
  std::mutex mutex;
  std::vector<std::string> events;
  std::vector<std::size_t> batch_sizes;

  void add(std::string event) {
    const std::scoped_lock lock{mutex};
    events.push_back(std::move(event));
  }
};

// Holds the first batch until released, so that the test can queue requests behind it.
class Gate {
 public:
  void wait() {
    std::unique_lock lock{mutex_};
    entered_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  void wait_until_entered() {
    std::unique_lock lock{mutex_};
    changed_.wait(lock, [this] { return entered_; });
  }
  void open() {
    const std::scoped_lock lock{mutex_};
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false;
  bool open_ = false;
};

class GroupCommitTest : public ::testing::Test {
 protected:
  using Batcher = GroupCommit<int, std::string, Journal>;

  Batcher& make(std::size_t max_batch, Batcher::BatchWork work) {
    auto launch = [this](Batcher::Job job) {
      boost::asio::post(thread_, [this, job = std::move(job)] { job(journal_); });
    };
    return batcher_.emplace(launch, std::move(work), max_batch, 1);
  }

  // Jobs are kept instead of run, so that the test runs them in the order it chooses.
  Batcher& make_by_hand(std::size_t max_in_flight) {
    auto launch = [this](Batcher::Job job) { launched_.push_back(std::move(job)); };
    auto work = [](Journal& journal, const std::vector<int>& batch) {
      journal.batch_sizes.push_back(batch.size());
      std::vector<std::string> results;
      results.reserve(batch.size());
      for (const int request : batch) {
        results.push_back(std::to_string(request * 2));
      }
      return results;
    };
    return batcher_.emplace(launch, work, 64, max_in_flight);
  }

  void run_launched(std::size_t index) {
    launched_.at(index)(journal_);
    io_.restart();
    io_.poll();
  }

  // Doubles each request; the first batch waits at the gate; a request of -1 fails its
  // whole batch.
  Batcher::BatchWork doubling() {
    return [this](Journal& journal, const std::vector<int>& batch) {
      if (!first_batch_done_) {
        first_batch_done_ = true;
        gate_.wait();
      }
      {
        const std::scoped_lock lock{journal.mutex};
        journal.batch_sizes.push_back(batch.size());
        journal.events.push_back("batch of " + std::to_string(batch.size()));
      }
      std::vector<std::string> results;
      for (const int request : batch) {
        if (request == -1) {
          throw std::runtime_error("the commit failed");
        }
        results.push_back(std::to_string(request * 2));
      }
      return results;
    };
  }

  // Submits each request from a coroutine of its own on `io_`, collecting answers by
  // request.
  void submit_all(Batcher& batcher, const std::vector<int>& requests) {
    for (const int request : requests) {
      boost::asio::co_spawn(
          io_,
          [&batcher, request]() -> boost::asio::awaitable<std::string> {
            co_return co_await batcher.submit(request);
          },
          [this, request](const std::exception_ptr& error, const std::string& result) {
            const std::scoped_lock lock{answers_mutex_};
            answers_[request] = error ? "failed" : result;
          });
    }
  }

  // Submits 1, whose commit waits at the gate, then `behind` while it waits, then lets
  // the commit finish.
  void queue_behind_a_running_commit(Batcher& batcher, const std::vector<int>& behind) {
    submit_all(batcher, {1});
    io_.poll();
    gate_.wait_until_entered();
    submit_all(batcher, behind);
    io_.poll();
    gate_.open();
  }

  void run_io_until_answered(std::size_t count) {
    for (auto start = std::chrono::steady_clock::now();
         std::chrono::steady_clock::now() - start < 10s;) {
      io_.restart();  // it stops whenever it runs out of work while a commit is running
      io_.run_for(10ms);
      const std::scoped_lock lock{answers_mutex_};
      if (answers_.size() >= count) {
        return;
      }
    }
  }

  Journal journal_;
  Gate gate_;
  bool first_batch_done_ = false;  // only touched by the one committing thread
  boost::asio::io_context io_;
  std::mutex answers_mutex_;
  std::map<int, std::string> answers_;
  std::optional<Batcher> batcher_;
  std::vector<Batcher::Job> launched_;
  // Last, so that it is joined before anything its jobs touch goes away.
  boost::asio::thread_pool thread_{1};
};

TEST_F(GroupCommitTest, RequestsArrivingDuringACommitShareTheNextOne) {
  auto& batcher = make(64, doubling());
  queue_behind_a_running_commit(batcher, {2, 3, 4, 5, 6});
  run_io_until_answered(6);

  ASSERT_EQ(answers_.size(), 6U);
  for (int request = 1; request <= 6; ++request) {
    EXPECT_EQ(answers_[request], std::to_string(request * 2));
  }
  EXPECT_EQ(journal_.batch_sizes, (std::vector<std::size_t>{1, 5}));
}

TEST_F(GroupCommitTest, ABatchNeverExceedsItsBound) {
  auto& batcher = make(2, doubling());
  queue_behind_a_running_commit(batcher, {2, 3, 4, 5, 6});
  run_io_until_answered(6);

  ASSERT_EQ(answers_.size(), 6U);
  EXPECT_EQ(journal_.batch_sizes, (std::vector<std::size_t>{1, 2, 2, 1}));
}

TEST_F(GroupCommitTest, AFailedCommitFailsOnlyTheRequestsItCarried) {
  auto& batcher = make(64, doubling());
  queue_behind_a_running_commit(batcher, {2, -1, 3});
  run_io_until_answered(4);
  submit_all(batcher, {4});
  run_io_until_answered(5);

  EXPECT_EQ(answers_[1], "2");
  EXPECT_EQ(answers_[2], "failed");
  EXPECT_EQ(answers_[-1], "failed");
  EXPECT_EQ(answers_[3], "failed");
  EXPECT_EQ(answers_[4], "8");
}

TEST_F(GroupCommitTest, OtherWorkOnTheSameThreadRunsBetweenBatches) {
  auto& batcher = make(1, doubling());
  submit_all(batcher, {1, 2, 3});
  io_.poll();
  gate_.wait_until_entered();
  boost::asio::post(thread_, [this] { journal_.add("a read"); });
  gate_.open();
  run_io_until_answered(3);

  ASSERT_EQ(answers_.size(), 3U);
  // Without going back to the queue after each batch, the read would wait for all three.
  EXPECT_EQ(journal_.events,
            (std::vector<std::string>{"batch of 1", "a read", "batch of 1", "batch of 1"}));
}

TEST_F(GroupCommitTest, AFlusherThatFindsNothingLeftCommitsNothing) {
  auto& batcher = make_by_hand(2);
  submit_all(batcher, {1, 2});
  io_.poll();
  ASSERT_EQ(launched_.size(), 2U) << "each of two requests starts a flusher of its own";

  run_launched(0);  // takes both requests
  run_launched(1);  // finds the queue empty
  EXPECT_EQ(answers_[1], "2");
  EXPECT_EQ(answers_[2], "4");
  EXPECT_EQ(journal_.batch_sizes, (std::vector<std::size_t>{2})) << "an empty batch was committed";

  // Both flushers are done, so the next request starts a new one.
  submit_all(batcher, {3});
  io_.restart();
  io_.poll();
  ASSERT_EQ(launched_.size(), 3U);
  run_launched(2);
  EXPECT_EQ(answers_[3], "6");
}

TEST_F(GroupCommitTest, NoMoreFlushersRunThanAllowed) {
  auto& batcher = make_by_hand(2);
  submit_all(batcher, {1, 2, 3, 4});
  io_.poll();
  EXPECT_EQ(launched_.size(), 2U);
  run_launched(0);
  run_launched(1);
  EXPECT_EQ(answers_.size(), 4U);
  EXPECT_EQ(launched_.size(), 2U) << "a flusher went back to the queue with nothing left";
}

TEST_F(GroupCommitTest, ALoneRequestCommitsAtOnce) {
  first_batch_done_ = true;  // no gate
  auto& batcher = make(64, doubling());
  submit_all(batcher, {21});
  run_io_until_answered(1);
  EXPECT_EQ(answers_[21], "42");
  EXPECT_EQ(journal_.batch_sizes, (std::vector<std::size_t>{1}));
}

}  // namespace
}  // namespace boxoffice
