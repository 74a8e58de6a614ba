// The server's threads: one event loop per thread, and each connection kept on one loop
// for its whole life. With every thread sharing one io_context, each step of a request
// could wake another thread and every connection needed a strand; on a 2-core machine
// that switching cost more than the second thread gave (GET /healthz: 49k answers/s with
// two threads on one context, 64k with one thread; docs/benchmarks.md).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

namespace boxoffice::http {

class EventLoops {
 public:
  explicit EventLoops(std::size_t count);
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;

  // Runs on the thread that calls run(): the listener, signals and periodic work live here
  // (it serves connections too).
  boost::asio::io_context& primary() { return *loops_.front(); }
  // The loop for a new connection, in turn.
  boost::asio::any_io_executor next();
  [[nodiscard]] std::size_t size() const { return loops_.size(); }
  [[nodiscard]] std::vector<boost::asio::io_context*> contexts() const;

  // Runs every loop, the primary one on the calling thread, until stop().
  void run();
  // Any thread.
  void stop();

 private:
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> loops_;
  // The other loops have nothing of their own to wait for between connections.
  std::vector<WorkGuard> idle_guards_;
  std::atomic<std::size_t> turn_{0};
};

}  // namespace boxoffice::http
