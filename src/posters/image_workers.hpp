// The threads that decode and encode images: few (image work is CPU-bound and must leave
// the cores to the sales path) and bounded, so a burst of uploads is refused at once
// instead of queueing for minutes.
#pragma once

#include "common/blocking_pool.hpp"

#include <atomic>
#include <stdexcept>

namespace boxoffice::posters {

// Every worker is busy and the queue is full; the upload answers 503 with Retry-After.
class ImageWorkersBusy : public std::runtime_error {
 public:
  ImageWorkersBusy() : std::runtime_error("every image worker is busy") {}
};

class ImageWorkers {
 public:
  // At most `threads` images are worked on at once and `queue` more wait.
  ImageWorkers(std::size_t threads, std::size_t queue)
      : pool_("images", threads), capacity_(threads + queue) {}

  template <typename Work>
  auto run(Work work) -> boost::asio::awaitable<std::invoke_result_t<Work>> {
    if (admitted_.fetch_add(1) >= capacity_) {
      admitted_.fetch_sub(1);
      throw ImageWorkersBusy{};
    }
    Admission admission{admitted_};
    co_return co_await pool_.run(std::move(work));
  }

 private:
  // Gives the place back however the work ends.
  struct Admission {
    explicit Admission(std::atomic<std::size_t>& counter) : admitted(counter) {}
    Admission(const Admission&) = delete;
    Admission& operator=(const Admission&) = delete;
    ~Admission() { admitted.fetch_sub(1); }
    std::atomic<std::size_t>& admitted;
  };

  BlockingPool pool_;
  std::size_t capacity_;
  std::atomic<std::size_t> admitted_{0};
};

}  // namespace boxoffice::posters
