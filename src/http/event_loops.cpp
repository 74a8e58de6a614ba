#include "http/event_loops.hpp"

#include <algorithm>
#include <thread>

namespace boxoffice::http {

EventLoops::EventLoops(std::size_t count) {
  count = std::max<std::size_t>(1, count);
  loops_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    // One thread runs each loop: the hint lets Asio keep a thread-private queue and never
    // wake another thread. Its locking stays, and must: database and password threads
    // post completions into these loops, and the listener hands sockets to other loops'
    // reactors (so never BOOST_ASIO_CONCURRENCY_HINT_UNSAFE here).
    loops_.push_back(std::make_unique<boost::asio::io_context>(1));
    if (i > 0) {
      idle_guards_.emplace_back(loops_.back()->get_executor());
    }
  }
}

boost::asio::any_io_executor EventLoops::next() {
  const auto index = turn_.fetch_add(1, std::memory_order_relaxed) % loops_.size();
  return loops_[index]->get_executor();
}

std::vector<boost::asio::io_context*> EventLoops::contexts() const {
  std::vector<boost::asio::io_context*> contexts;
  contexts.reserve(loops_.size());
  for (const auto& loop : loops_) {
    contexts.push_back(loop.get());
  }
  return contexts;
}

void EventLoops::run() {
  std::vector<std::thread> threads;
  threads.reserve(loops_.size() - 1);
  for (std::size_t i = 1; i < loops_.size(); ++i) {
    threads.emplace_back([loop = loops_[i].get()] { loop->run(); });
  }
  primary().run();
  stop();
  for (auto& thread : threads) {
    thread.join();
  }
}

void EventLoops::stop() {
  for (const auto& loop : loops_) {
    loop->stop();
  }
}

}  // namespace boxoffice::http
