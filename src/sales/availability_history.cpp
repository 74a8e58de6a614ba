#include "sales/availability_history.hpp"

#include "common/content_hash.hpp"

#include <algorithm>

namespace boxoffice::sales {

std::string encode_statuses(std::span<const store::SeatStatus> seats) {
  std::string statuses(seats.size(), 'a');
  for (std::size_t i = 0; i < seats.size(); ++i) {
    switch (seats[i]) {
      case store::SeatStatus::available:
        break;
      case store::SeatStatus::held:
        statuses[i] = 'h';
        break;
      case store::SeatStatus::sold:
        statuses[i] = 's';
        break;
    }
  }
  return statuses;
}

std::string availability_version(std::string_view statuses) {
  // 128 bits: two different states of one event never share a version in practice.
  return blake2b_hex(statuses, 16);
}

std::optional<std::vector<SeatChange>> changes_between(std::string_view before,
                                                       std::string_view after) {
  if (before.size() != after.size()) {
    return std::nullopt;
  }
  std::vector<SeatChange> changes;
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (before[i] != after[i]) {
      changes.push_back({i, after[i]});
    }
  }
  return changes;
}

std::shared_ptr<const std::string> RenderedAnswers::get_or_render(
    const std::string& since, const std::function<std::string()>& render) {
  {
    std::lock_guard lock{mutex_};
    if (auto found = bodies_.find(since); found != bodies_.end()) {
      return found->second;
    }
  }
  // Rendered outside the lock: two first polls may both render, and either copy is right.
  auto body = std::make_shared<const std::string>(render());
  std::lock_guard lock{mutex_};
  return bodies_.try_emplace(since, std::move(body)).first->second;
}

void RenderedAnswers::clear() {
  std::lock_guard lock{mutex_};
  bodies_.clear();
}

AvailabilityHistory::AvailabilityHistory(const Clock& clock, AvailabilityHistoryLimits limits)
    : clock_(clock), limits_(limits) {}

std::shared_ptr<const AvailabilitySnapshot> AvailabilityHistory::fresh(
    const std::string& event_id) {
  const auto now = clock_.now();
  std::lock_guard lock{mutex_};
  const auto found = events_.find(event_id);
  if (found == events_.end() || found->second.empty()) {
    return nullptr;
  }
  const auto& newest = found->second.back();
  return now - newest->taken_at < limits_.reuse_for ? newest : nullptr;
}

std::shared_ptr<const AvailabilitySnapshot> AvailabilityHistory::record(
    const std::string& event_id, const store::Availability& availability, TimePoint read_started) {
  auto statuses = encode_statuses(availability.seats);
  auto version = availability_version(statuses);
  std::lock_guard lock{mutex_};
  forget_old(clock_.now());
  auto& snapshots = events_[event_id];
  if (!snapshots.empty() && snapshots.back()->taken_at > read_started) {
    return snapshots.back();
  }
  if (!snapshots.empty()) {
    snapshots.back()->answers->clear();
  }
  // Re-stamped rather than reused: its taken_at says how fresh the answer is.
  std::erase_if(snapshots, [&](const auto& kept) { return kept->version == version; });
  snapshots.push_back(std::make_shared<const AvailabilitySnapshot>(AvailabilitySnapshot{
      .version = std::move(version),
      .statuses = std::move(statuses),
      .counts = availability.counts,
      // When the read began: the state is at least that fresh, and no fresher.
      .taken_at = read_started,
  }));
  if (snapshots.size() > limits_.kept_per_event) {
    snapshots.erase(snapshots.begin());
  }
  return snapshots.back();
}

std::shared_ptr<const AvailabilitySnapshot> AvailabilityHistory::find(const std::string& event_id,
                                                                      std::string_view version) {
  std::lock_guard lock{mutex_};
  const auto found = events_.find(event_id);
  if (found == events_.end()) {
    return nullptr;
  }
  const auto& snapshots = found->second;
  const auto match = std::find_if(snapshots.rbegin(), snapshots.rend(),
                                  [&](const auto& kept) { return kept->version == version; });
  return match == snapshots.rend() ? nullptr : *match;
}

void AvailabilityHistory::forget_old(TimePoint now) {
  // Once a second is enough: the bound is on memory, not on exactness.
  if (now - last_pruned_ < std::chrono::seconds{1}) {
    return;
  }
  last_pruned_ = now;
  const auto cutoff = now - limits_.kept_for;
  for (auto event = events_.begin(); event != events_.end();) {
    std::erase_if(event->second, [&](const auto& kept) { return kept->taken_at < cutoff; });
    event = event->second.empty() ? events_.erase(event) : std::next(event);
  }
}

}  // namespace boxoffice::sales
