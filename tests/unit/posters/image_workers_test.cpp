// ImageWorkers admits at most threads + queue jobs and refuses the next one at once. Jobs
// here block on promises the test keeps, so which job is running, waiting or refused is
// decided by the test, never by timing; every wait has a bound so a broken pool fails the
// test instead of hanging it.
#include "posters/image_workers.hpp"

#include "posters/poster_images.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <memory>

namespace boxoffice::posters {
namespace {

using namespace std::chrono_literals;

constexpr auto wait_bound = 30s;

// A job that reports when it starts, then holds its worker until released. A test that
// fails before releasing it still ends: the job gives up after the bound.
class HeldJob {
 public:
  explicit HeldJob(int result) : result_(result) {}

  [[nodiscard]] auto work() {
    return [started = started_, release = release_future_, result = result_] {
      started->set_value();
      const bool released = release.wait_for(wait_bound) == std::future_status::ready;
      return released ? result : -1;
    };
  }

  [[nodiscard]] bool started_within_bound() const {
    return started_future_.wait_for(wait_bound) == std::future_status::ready;
  }
  [[nodiscard]] bool has_started() const {
    return started_future_.wait_for(0s) == std::future_status::ready;
  }
  void release() { release_->set_value(); }

 private:
  int result_;
  std::shared_ptr<std::promise<void>> started_ = std::make_shared<std::promise<void>>();
  std::shared_future<void> started_future_ = started_->get_future().share();
  std::shared_ptr<std::promise<void>> release_ = std::make_shared<std::promise<void>>();
  std::shared_future<void> release_future_ = release_->get_future().share();
};

class ImageWorkersTest : public testing::Test {
 protected:
  // Starts `work` through `workers` and runs the caller's side until it has either been
  // refused or handed to a worker thread, so the next start sees it admitted.
  template <typename Work>
  std::future<int> start(ImageWorkers& workers, Work work) {
    auto result = boost::asio::co_spawn(io_, workers.run(std::move(work)), boost::asio::use_future);
    io_.poll();
    return result;
  }

  // Runs the caller's side until `result` is ready; false when the bound passes first.
  bool finishes(std::future<int>& result) {
    const auto deadline = std::chrono::steady_clock::now() + wait_bound;
    while (result.wait_for(0s) != std::future_status::ready) {
      if (std::chrono::steady_clock::now() > deadline) {
        return false;
      }
      io_.run_one_for(50ms);
    }
    return true;
  }

  boost::asio::io_context io_;
  // Keeps run_one_for waiting for the pool's answers even when nothing else is queued.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_running_ =
      boost::asio::make_work_guard(io_);
};

TEST_F(ImageWorkersTest, WithEveryThreadBusyAndNoQueueTheNextJobIsRefusedAtOnce) {
  ImageWorkers workers{1, 0};
  HeldJob first{1};
  auto first_result = start(workers, first.work());
  ASSERT_TRUE(first.started_within_bound());

  auto second = start(workers, [] { return 2; });
  ASSERT_TRUE(finishes(second));
  EXPECT_THROW(second.get(), ImageWorkersBusy);

  first.release();
  ASSERT_TRUE(finishes(first_result));
  EXPECT_EQ(first_result.get(), 1);

  auto third = start(workers, [] { return 3; });
  ASSERT_TRUE(finishes(third));
  EXPECT_EQ(third.get(), 3);
}

TEST_F(ImageWorkersTest, AQueuedJobWaitsForAThreadAndOneMoreIsRefused) {
  ImageWorkers workers{1, 1};
  HeldJob running{1};
  HeldJob queued{2};
  auto running_result = start(workers, running.work());
  ASSERT_TRUE(running.started_within_bound());
  auto queued_result = start(workers, queued.work());

  auto refused = start(workers, [] { return 3; });
  ASSERT_TRUE(finishes(refused));
  EXPECT_THROW(refused.get(), ImageWorkersBusy);
  // The only thread is still held by the first job, so the second cannot have begun.
  EXPECT_FALSE(queued.has_started());
  EXPECT_NE(queued_result.wait_for(0s), std::future_status::ready);

  running.release();
  ASSERT_TRUE(queued.started_within_bound());
  queued.release();
  ASSERT_TRUE(finishes(running_result));
  ASSERT_TRUE(finishes(queued_result));
  EXPECT_EQ(running_result.get(), 1);
  EXPECT_EQ(queued_result.get(), 2);

  auto after = start(workers, [] { return 4; });
  ASSERT_TRUE(finishes(after));
  EXPECT_EQ(after.get(), 4);
}

TEST_F(ImageWorkersTest, AJobsExceptionReachesTheCallerAndGivesItsPlaceBack) {
  ImageWorkers workers{1, 0};

  auto failing = start(workers, []() -> int { throw InvalidImage("not an image"); });
  ASSERT_TRUE(finishes(failing));
  EXPECT_THROW(failing.get(), InvalidImage);

  auto next = start(workers, [] { return 5; });
  ASSERT_TRUE(finishes(next));
  EXPECT_EQ(next.get(), 5);
}

}  // namespace
}  // namespace boxoffice::posters
