#include "store/memory/memory_inventory_store.hpp"

#include "domain/best_available.hpp"

#include <algorithm>

namespace boxoffice::store {

MemoryInventoryStore::EventState::EventState(std::size_t seats)
    : status(seats, SeatStatus::available),
      free(seats, true),
      counts{0, 0, static_cast<std::int64_t>(seats)} {}

MemoryInventoryStore::MemoryInventoryStore(const Clock& clock, SoldSeatsLoader load_sold_seats)
    : clock_(clock), load_sold_seats_(std::move(load_sold_seats)) {}

boost::asio::awaitable<std::shared_ptr<MemoryInventoryStore::EventState>>
MemoryInventoryStore::state(const domain::SeatMap& map, const std::string& event_id) {
  {
    std::scoped_lock lock{events_mutex_};
    if (auto it = events_.find(event_id); it != events_.end()) {
      co_return it->second;
    }
  }
  // Loaded outside the lock; if two requests race, the first to finish wins and both
  // loads saw the same committed sales.
  const auto sold = co_await load_sold_seats_(event_id);
  auto fresh = std::make_shared<EventState>(map.size());
  for (const auto& seat_id : sold) {
    if (auto index = map.find(seat_id)) {
      set_status(*fresh, *index, SeatStatus::sold);
    }
  }
  std::scoped_lock lock{events_mutex_};
  auto [it, inserted] = events_.emplace(event_id, std::move(fresh));
  co_return it->second;
}

std::shared_ptr<MemoryInventoryStore::EventState> MemoryInventoryStore::state_of_hold(
    const std::string& hold_id) {
  std::scoped_lock lock{events_mutex_};
  auto it = hold_events_.find(hold_id);
  return it == hold_events_.end() ? nullptr : it->second;
}

void MemoryInventoryStore::set_status(EventState& event, domain::SeatIndex seat,
                                      SeatStatus status) {
  auto& current = event.status[seat];
  auto count_of = [&event](SeatStatus which) -> std::int64_t& {
    switch (which) {
      case SeatStatus::sold:
        return event.counts.sold;
      case SeatStatus::held:
        return event.counts.held;
      case SeatStatus::available:
        break;
    }
    return event.counts.available;
  };
  --count_of(current);
  ++count_of(status);
  current = status;
  if (status == SeatStatus::available) {
    event.free.insert(seat);
  } else {
    event.free.erase(seat);
  }
}

void MemoryInventoryStore::drop_hold_locked(EventState& event, const std::string& hold_id,
                                            SeatStatus seats_become) {
  auto it = event.holds.find(hold_id);
  if (it == event.holds.end()) {
    return;
  }
  for (auto seat : it->second.hold.seats) {
    if (owns(event, seat, hold_id)) {
      event.owner.erase(seat);
      set_status(event, seat, seats_become);
    }
  }
  if (auto user = event.hold_of_user.find(it->second.hold.user_id);
      user != event.hold_of_user.end() && user->second == hold_id) {
    event.hold_of_user.erase(user);
  }
  event.holds.erase(it);
  std::scoped_lock lock{events_mutex_};
  hold_events_.erase(hold_id);
}

bool MemoryInventoryStore::owns(const EventState& event, domain::SeatIndex seat,
                                const std::string& hold_id) {
  auto it = event.owner.find(seat);
  return it != event.owner.end() && it->second == hold_id;
}

void MemoryInventoryStore::sell_locked(EventState& event, domain::SeatIndex seat) {
  if (seat >= event.status.size()) {
    return;
  }
  event.owner.erase(seat);
  set_status(event, seat, SeatStatus::sold);
}

void MemoryInventoryStore::expire_locked(EventState& event, TimePoint now) {
  // Bounded by the number of deadlines due; each hold has at most one live deadline.
  while (!event.deadlines.empty() && event.deadlines.begin()->first <= now) {
    const auto hold_id = event.deadlines.begin()->second;
    event.deadlines.erase(event.deadlines.begin());
    auto it = event.holds.find(hold_id);
    if (it == event.holds.end()) {
      continue;
    }
    const auto& live = it->second;
    const auto deadline = live.hold.checking_out ? live.locked_until : live.hold.expires_at;
    if (deadline > now) {
      event.deadlines.emplace(deadline, hold_id);
      continue;
    }
    drop_hold_locked(event, hold_id, SeatStatus::available);
  }
}

HoldOutcome MemoryInventoryStore::place_locked(EventState& event, const HoldRequest& request,
                                               std::vector<domain::SeatIndex> seats) {
  // The user's previous hold gives its seats back first, so a user can re-hold them as
  // part of a new selection.
  if (auto previous = event.hold_of_user.find(request.user_id);
      previous != event.hold_of_user.end()) {
    const auto previous_id = previous->second;
    auto it = event.holds.find(previous_id);
    if (it != event.holds.end() && !it->second.hold.checking_out) {
      drop_hold_locked(event, previous_id, SeatStatus::available);
    }
  }
  HoldOutcome outcome;
  for (auto seat : seats) {
    if (seat >= event.status.size() || event.status[seat] != SeatStatus::available) {
      outcome.unavailable.push_back(seat);
    }
  }
  if (!outcome.unavailable.empty()) {
    return outcome;
  }
  for (auto seat : seats) {
    set_status(event, seat, SeatStatus::held);
    event.owner[seat] = request.hold_id;
  }
  Hold hold{.id = request.hold_id,
            .event_id = request.event_id,
            .user_id = request.user_id,
            .seats = std::move(seats),
            .expires_at = request.expires_at,
            .checking_out = false};
  event.deadlines.emplace(hold.expires_at, hold.id);
  event.hold_of_user[hold.user_id] = hold.id;
  event.holds.emplace(hold.id, LiveHold{hold, hold.expires_at});
  outcome.hold = std::move(hold);
  return outcome;
}

boost::asio::awaitable<HoldOutcome> MemoryInventoryStore::hold_seats(
    const domain::SeatMap& map, HoldRequest request, std::vector<domain::SeatIndex> seats) {
  auto event = co_await state(map, request.event_id);
  const auto hold_id = request.hold_id;
  HoldOutcome outcome;
  {
    std::scoped_lock lock{event->mutex};
    expire_locked(*event, clock_.now());
    // Check before releasing the previous hold: a failed request changes nothing.
    for (auto seat : seats) {
      if (seat >= event->status.size()) {
        outcome.unavailable.push_back(seat);
        continue;
      }
      const bool own_previous = [&] {
        auto previous = event->hold_of_user.find(request.user_id);
        return previous != event->hold_of_user.end() &&
               !event->holds.at(previous->second).hold.checking_out &&
               owns(*event, seat, previous->second);
      }();
      if (event->status[seat] != SeatStatus::available && !own_previous) {
        outcome.unavailable.push_back(seat);
      }
    }
    if (!outcome.unavailable.empty()) {
      co_return outcome;
    }
    outcome = place_locked(*event, request, std::move(seats));
  }
  if (outcome.hold) {
    std::scoped_lock lock{events_mutex_};
    hold_events_[hold_id] = event;
  }
  co_return outcome;
}

boost::asio::awaitable<HoldOutcome> MemoryInventoryStore::hold_best_available(
    const domain::SeatMap& map, HoldRequest request, domain::CategoryIndex category,
    std::int64_t quantity) {
  auto event = co_await state(map, request.event_id);
  const auto hold_id = request.hold_id;
  HoldOutcome outcome;
  {
    std::scoped_lock lock{event->mutex};
    expire_locked(*event, clock_.now());
    const domain::SeatSet* free = &event->free;
    std::optional<domain::SeatSet> with_previous;
    if (auto previous = event->hold_of_user.find(request.user_id);
        previous != event->hold_of_user.end()) {
      const auto& held = event->holds.at(previous->second).hold;
      if (!held.checking_out) {
        with_previous = event->free;
        for (auto seat : held.seats) {
          if (owns(*event, seat, held.id)) {
            with_previous->insert(seat);
          }
        }
        free = &*with_previous;
      }
    }
    auto selection = domain::best_available(map, category, quantity, *free);
    if (!selection) {
      co_return outcome;
    }
    outcome = place_locked(*event, request, std::move(selection->seats));
  }
  if (outcome.hold) {
    std::scoped_lock lock{events_mutex_};
    hold_events_[hold_id] = event;
  }
  co_return outcome;
}

boost::asio::awaitable<std::optional<Hold>> MemoryInventoryStore::find_hold(std::string hold_id) {
  auto event = state_of_hold(hold_id);
  if (!event) {
    co_return std::nullopt;
  }
  std::scoped_lock lock{event->mutex};
  expire_locked(*event, clock_.now());
  auto it = event->holds.find(hold_id);
  if (it == event->holds.end()) {
    co_return std::nullopt;
  }
  co_return it->second.hold;
}

boost::asio::awaitable<bool> MemoryInventoryStore::release_hold(std::string hold_id,
                                                                std::string user_id) {
  auto event = state_of_hold(hold_id);
  if (!event) {
    co_return false;
  }
  std::scoped_lock lock{event->mutex};
  expire_locked(*event, clock_.now());
  auto it = event->holds.find(hold_id);
  if (it == event->holds.end() || it->second.hold.user_id != user_id ||
      it->second.hold.checking_out) {
    co_return false;
  }
  drop_hold_locked(*event, hold_id, SeatStatus::available);
  co_return true;
}

boost::asio::awaitable<Checkout> MemoryInventoryStore::begin_checkout(std::string hold_id,
                                                                      std::string user_id,
                                                                      std::chrono::seconds grace) {
  auto event = state_of_hold(hold_id);
  if (!event) {
    co_return Checkout{CheckoutStart::not_found, std::nullopt};
  }
  std::scoped_lock lock{event->mutex};
  const auto now = clock_.now();
  expire_locked(*event, now);
  auto it = event->holds.find(hold_id);
  if (it == event->holds.end() || it->second.hold.user_id != user_id) {
    co_return Checkout{CheckoutStart::not_found, std::nullopt};
  }
  if (it->second.hold.checking_out) {
    co_return Checkout{CheckoutStart::expired, std::nullopt};
  }
  it->second.hold.checking_out = true;
  it->second.locked_until = now + grace;
  co_return Checkout{CheckoutStart::started, it->second.hold};
}

boost::asio::awaitable<void> MemoryInventoryStore::abort_checkout(std::string hold_id) {
  auto event = state_of_hold(hold_id);
  if (!event) {
    co_return;
  }
  std::scoped_lock lock{event->mutex};
  if (auto it = event->holds.find(hold_id); it != event->holds.end()) {
    it->second.hold.checking_out = false;
    event->deadlines.emplace(it->second.hold.expires_at, hold_id);
  }
  expire_locked(*event, clock_.now());
}

boost::asio::awaitable<void> MemoryInventoryStore::complete_checkout(const domain::SeatMap& map,
                                                                     Hold hold) {
  auto event = co_await state(map, hold.event_id);
  std::scoped_lock lock{event->mutex};
  drop_hold_locked(*event, hold.id, SeatStatus::sold);
  for (auto seat : hold.seats) {
    sell_locked(*event, seat);
  }
}

boost::asio::awaitable<void> MemoryInventoryStore::mark_sold(const domain::SeatMap& map,
                                                             std::string event_id,
                                                             std::vector<domain::SeatIndex> seats) {
  auto event = co_await state(map, event_id);
  std::scoped_lock lock{event->mutex};
  for (auto seat : seats) {
    sell_locked(*event, seat);
  }
}

boost::asio::awaitable<void> MemoryInventoryStore::mark_available(
    const domain::SeatMap& map, std::string event_id, std::vector<domain::SeatIndex> seats) {
  auto event = co_await state(map, event_id);
  std::scoped_lock lock{event->mutex};
  for (auto seat : seats) {
    if (seat < event->status.size() && event->status[seat] == SeatStatus::sold) {
      set_status(*event, seat, SeatStatus::available);
    }
  }
}

boost::asio::awaitable<Availability> MemoryInventoryStore::availability(const domain::SeatMap& map,
                                                                        std::string event_id) {
  auto event = co_await state(map, event_id);
  std::scoped_lock lock{event->mutex};
  expire_locked(*event, clock_.now());
  co_return Availability{event->status, event->counts};
}

boost::asio::awaitable<SeatCounts> MemoryInventoryStore::counts(const domain::SeatMap& map,
                                                                std::string event_id) {
  auto event = co_await state(map, event_id);
  std::scoped_lock lock{event->mutex};
  expire_locked(*event, clock_.now());
  co_return event->counts;
}

boost::asio::awaitable<void> MemoryInventoryStore::expire_holds() {
  std::vector<std::shared_ptr<EventState>> events;
  {
    std::scoped_lock lock{events_mutex_};
    for (const auto& [id, event] : events_) {
      events.push_back(event);
    }
  }
  const auto now = clock_.now();
  for (const auto& event : events) {
    std::scoped_lock lock{event->mutex};
    expire_locked(*event, now);
  }
  co_return;
}

}  // namespace boxoffice::store
