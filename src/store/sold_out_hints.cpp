#include "store/sold_out_hints.hpp"

namespace boxoffice::store {

void SoldOutHints::record(const std::string& event_id, domain::CategoryIndex category,
                          std::int64_t free, TimePoint looked_at) {
  std::scoped_lock lock{mutex_};
  if (looked_at <= all_forgotten_at_) {
    return;
  }
  if (auto forgotten = forgotten_at_.find(event_id);
      forgotten != forgotten_at_.end() && looked_at <= forgotten->second) {
    return;
  }
  // Looks overtake each other: an older one finishing last must not replace a newer one.
  auto [it, added] = hints_.try_emplace({event_id, category}, Hint{free, looked_at});
  if (!added && it->second.looked_at <= looked_at) {
    it->second = Hint{free, looked_at};
  }
}

bool SoldOutHints::refuses(const std::string& event_id, domain::CategoryIndex category,
                           std::int64_t quantity) {
  const auto now = clock_.now();
  std::scoped_lock lock{mutex_};
  const auto found = hints_.find({event_id, category});
  if (found == hints_.end()) {
    return false;
  }
  const auto age = now - found->second.looked_at;
  if (age < TimePoint::duration::zero() || age >= ttl_) {
    hints_.erase(found);
    return false;
  }
  return quantity > found->second.free;
}

void SoldOutHints::forget(const std::string& event_id) {
  const auto now = clock_.now();
  std::scoped_lock lock{mutex_};
  forgotten_at_[event_id] = now;
  auto it = hints_.lower_bound({event_id, domain::CategoryIndex{}});
  while (it != hints_.end() && it->first.first == event_id) {
    it = hints_.erase(it);
  }
}

void SoldOutHints::forget_all() {
  const auto now = clock_.now();
  std::scoped_lock lock{mutex_};
  all_forgotten_at_ = now;
  forgotten_at_.clear();
  hints_.clear();
}

}  // namespace boxoffice::store
