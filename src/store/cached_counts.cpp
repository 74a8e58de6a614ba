#include "store/cached_counts.hpp"

#include "common/on_scope_exit.hpp"
#include "store/hold_id.hpp"

namespace boxoffice::store {

using boost::asio::awaitable;

void CachedCounts::changed(const std::string& event_id) {
  std::scoped_lock lock{mutex_};
  ++generations_[event_id];
  entries_.erase(event_id);
}

awaitable<SeatCounts> CachedCounts::counts(const domain::SeatMap& map, std::string event_id) {
  const auto started = clock_.now();
  std::uint64_t generation = 0;
  {
    std::scoped_lock lock{mutex_};
    generation = generations_[event_id];
    if (auto it = entries_.find(event_id);
        it != entries_.end() && it->second.generation == generation) {
      // A clock stepped back gives a negative age: that copy is not trusted either.
      const auto age = started - it->second.read_started;
      if (age >= TimePoint::duration::zero() && age < ttl_) {
        co_return it->second.counts;
      }
    }
  }
  auto counts = co_await inventory_->counts(map, event_id);
  std::scoped_lock lock{mutex_};
  if (generations_[event_id] == generation) {
    // Reads overtake each other: an older one finishing last must not replace a newer one.
    auto [it, added] = entries_.try_emplace(event_id, Entry{counts, started, generation});
    if (!added && it->second.read_started <= started) {
      it->second = Entry{counts, started, generation};
    }
  }
  co_return counts;
}

awaitable<HoldOutcome> CachedCounts::hold_seats(const domain::SeatMap& map, HoldRequest request,
                                                std::vector<domain::SeatIndex> seats) {
  const OnScopeExit change{[this, id = request.event_id] { changed(id); }};
  co_return co_await inventory_->hold_seats(map, std::move(request), std::move(seats));
}

awaitable<HoldOutcome> CachedCounts::hold_best_available(const domain::SeatMap& map,
                                                         HoldRequest request,
                                                         domain::CategoryIndex category,
                                                         std::int64_t quantity) {
  const OnScopeExit change{[this, id = request.event_id] { changed(id); }};
  co_return co_await inventory_->hold_best_available(map, std::move(request), category, quantity);
}

awaitable<std::optional<Hold>> CachedCounts::find_hold(std::string hold_id) {
  co_return co_await inventory_->find_hold(std::move(hold_id));
}

awaitable<bool> CachedCounts::release_hold(std::string hold_id, std::string user_id) {
  const OnScopeExit change{[this, id = event_of_hold(hold_id).value_or("")] { changed(id); }};
  co_return co_await inventory_->release_hold(std::move(hold_id), std::move(user_id));
}

awaitable<Checkout> CachedCounts::begin_checkout(std::string hold_id, std::string user_id,
                                                 std::chrono::seconds grace) {
  // An expired hold found here is freed on the way.
  const OnScopeExit change{[this, id = event_of_hold(hold_id).value_or("")] { changed(id); }};
  co_return co_await inventory_->begin_checkout(std::move(hold_id), std::move(user_id), grace);
}

awaitable<void> CachedCounts::abort_checkout(std::string hold_id) {
  const OnScopeExit change{[this, id = event_of_hold(hold_id).value_or("")] { changed(id); }};
  co_await inventory_->abort_checkout(std::move(hold_id));
}

awaitable<void> CachedCounts::complete_checkout(const domain::SeatMap& map, Hold hold) {
  const OnScopeExit change{[this, id = hold.event_id] { changed(id); }};
  co_await inventory_->complete_checkout(map, std::move(hold));
}

awaitable<void> CachedCounts::mark_sold(const domain::SeatMap& map, std::string event_id,
                                        std::vector<domain::SeatIndex> seats) {
  const OnScopeExit change{[this, id = event_id] { changed(id); }};
  co_await inventory_->mark_sold(map, std::move(event_id), std::move(seats));
}

awaitable<void> CachedCounts::mark_available(const domain::SeatMap& map, std::string event_id,
                                             std::vector<domain::SeatIndex> seats) {
  const OnScopeExit change{[this, id = event_id] { changed(id); }};
  co_await inventory_->mark_available(map, std::move(event_id), std::move(seats));
}

awaitable<Availability> CachedCounts::availability(const domain::SeatMap& map,
                                                   std::string event_id) {
  co_return co_await inventory_->availability(map, std::move(event_id));
}

awaitable<void> CachedCounts::expire_holds() {
  // Expired holds count as free from their expiry on, sweep or not: the lifetime covers them.
  co_await inventory_->expire_holds();
}

}  // namespace boxoffice::store
