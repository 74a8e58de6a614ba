// A store in front of another that can hold one counts() answer back after reading it,
// so that a test can change the seats while that read is still in flight.
#pragma once

#include "store/inventory_store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <memory>

namespace boxoffice::store {

class PausedCountsStore final : public InventoryStore {
 public:
  PausedCountsStore(std::shared_ptr<InventoryStore> inner, boost::asio::io_context& io)
      : inner_(std::move(inner)), gate_(io, std::chrono::steady_clock::time_point::max()) {}

  // The next counts() reads the inner store, then waits for release() before answering.
  void pause_next_counts() { pause_next_ = true; }
  [[nodiscard]] bool paused() const { return paused_; }
  void release() { gate_.cancel(); }

  boost::asio::awaitable<SeatCounts> counts(const domain::SeatMap& map,
                                            std::string event_id) override {
    auto read = co_await inner_->counts(map, std::move(event_id));
    if (pause_next_) {
      pause_next_ = false;
      paused_ = true;
      boost::system::error_code released;
      co_await gate_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, released));
      paused_ = false;
    }
    co_return read;
  }

  boost::asio::awaitable<HoldOutcome> hold_seats(const domain::SeatMap& map, HoldRequest request,
                                                 std::vector<domain::SeatIndex> seats) override {
    return inner_->hold_seats(map, std::move(request), std::move(seats));
  }
  boost::asio::awaitable<HoldOutcome> hold_best_available(const domain::SeatMap& map,
                                                          HoldRequest request,
                                                          domain::CategoryIndex category,
                                                          std::int64_t quantity) override {
    return inner_->hold_best_available(map, std::move(request), category, quantity);
  }
  boost::asio::awaitable<std::optional<Hold>> find_hold(std::string hold_id) override {
    return inner_->find_hold(std::move(hold_id));
  }
  boost::asio::awaitable<bool> release_hold(std::string hold_id, std::string user_id) override {
    return inner_->release_hold(std::move(hold_id), std::move(user_id));
  }
  boost::asio::awaitable<Checkout> begin_checkout(std::string hold_id, std::string user_id,
                                                  std::chrono::seconds grace) override {
    return inner_->begin_checkout(std::move(hold_id), std::move(user_id), grace);
  }
  boost::asio::awaitable<void> abort_checkout(std::string hold_id) override {
    return inner_->abort_checkout(std::move(hold_id));
  }
  boost::asio::awaitable<void> complete_checkout(const domain::SeatMap& map, Hold hold) override {
    return inner_->complete_checkout(map, std::move(hold));
  }
  boost::asio::awaitable<void> mark_sold(const domain::SeatMap& map, std::string event_id,
                                         std::vector<domain::SeatIndex> seats) override {
    return inner_->mark_sold(map, std::move(event_id), std::move(seats));
  }
  boost::asio::awaitable<void> mark_available(const domain::SeatMap& map, std::string event_id,
                                              std::vector<domain::SeatIndex> seats) override {
    return inner_->mark_available(map, std::move(event_id), std::move(seats));
  }
  boost::asio::awaitable<Availability> availability(const domain::SeatMap& map,
                                                    std::string event_id) override {
    return inner_->availability(map, std::move(event_id));
  }
  boost::asio::awaitable<void> expire_holds() override { return inner_->expire_holds(); }

 private:
  std::shared_ptr<InventoryStore> inner_;
  boost::asio::steady_timer gate_;
  bool pause_next_ = false;
  bool paused_ = false;
};

}  // namespace boxoffice::store
