// A bounded set of worker threads for work that blocks (database calls, password hashing),
// so that I/O threads only ever wait on sockets.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstddef>
#include <string>
#include <type_traits>

namespace boxoffice {

class BlockingPool {
 public:
  BlockingPool(std::string name, std::size_t threads) : name_(std::move(name)), pool_(threads) {}
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;
  ~BlockingPool() { pool_.join(); }

  // Runs `work` on a pool thread and resumes the caller on its own executor. Exceptions
  // thrown by `work` reach the caller unchanged.
  //
  // g++ 12 miscompiles a lambda with captures written as a temporary inside a co_await
  // expression (it is destroyed twice). Name the lambda first, then
  // `co_await pool.run(std::move(work))`.
  template <typename Work>
  auto run(Work work) -> boost::asio::awaitable<std::invoke_result_t<Work>> {
    using Result = std::invoke_result_t<Work>;
    return boost::asio::co_spawn(
        pool_.get_executor(),
        [work = std::move(work)]() mutable -> boost::asio::awaitable<Result> { co_return work(); },
        boost::asio::use_awaitable);
  }

  // Runs `work` on a pool thread without waiting for it; `work` answers whoever needs its
  // result itself and must not throw.
  template <typename Work>
  void post(Work work) {
    boost::asio::post(pool_, std::move(work));
  }

  void stop() { pool_.stop(); }
  // Waits for the work already queued, and the work it queues, to finish.
  void join() { pool_.join(); }
  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  std::string name_;
  boost::asio::thread_pool pool_;
};

}  // namespace boxoffice
