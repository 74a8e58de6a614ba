// Lets at most `width` coroutines through at once; the others wait their turn without
// blocking a thread. Used where concurrent requests would only get in each other's way,
// e.g. best-available choices for one category, which all read the same free seats.
#pragma once

#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstddef>
#include <utility>

namespace boxoffice {

class AsyncGate {
 public:
  // Gives the slot back when it goes out of scope, whatever happened inside.
  class Pass {
   public:
    explicit Pass(AsyncGate* gate) : gate_(gate) {}
    Pass(Pass&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Pass& operator=(Pass&&) = delete;
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;
    ~Pass() {
      if (gate_ != nullptr) {
        gate_->leave();
      }
    }

   private:
    AsyncGate* gate_;
  };

  explicit AsyncGate(std::size_t width) : slots_(boost::asio::system_executor{}, width) {}

  // A slot is a message in a channel of `width` places: entering sends one (waiting while
  // the channel is full), leaving takes one out.
  boost::asio::awaitable<Pass> enter() {
    co_await slots_.async_send(boost::system::error_code{}, boost::asio::use_awaitable);
    co_return Pass{this};
  }

 private:
  void leave() {
    slots_.try_receive([](boost::system::error_code) {});
  }

  boost::asio::experimental::concurrent_channel<void(boost::system::error_code)> slots_;
};

}  // namespace boxoffice
