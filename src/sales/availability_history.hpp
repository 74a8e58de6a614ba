// Recent availability snapshots of each event, so that a seat map refreshes with only the
// seats that changed since the version it shows instead of downloading every seat again.
// A version is a hash of the statuses: every instance names the same state alike, so a
// client may poll any instance, and one that never saw the client's version answers with
// the whole state instead of a delta.
#pragma once

#include "common/clock.hpp"
#include "store/inventory_store.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace boxoffice::sales {

// Answer bodies rendered from one snapshot, by the version the client asked since (empty
// for the whole state). Under a rush most polls name the same few earlier versions, and
// comparing two stadium-sized states on every poll was the biggest cost of a poll.
class RenderedAnswers {
 public:
  std::shared_ptr<const std::string> get_or_render(const std::string& since,
                                                   const std::function<std::string()>& render);
  // Once a newer snapshot answers, this one's bodies are only memory.
  void clear();

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> bodies_;
};

struct AvailabilitySnapshot {
  std::string version;
  // One letter per seat index: 'a' available, 'h' held, 's' sold.
  std::string statuses;
  store::SeatCounts counts;
  TimePoint taken_at;
  // Kept while this is the newest snapshot: at most one body per snapshot kept, plus the
  // whole state.
  std::shared_ptr<RenderedAnswers> answers = std::make_shared<RenderedAnswers>();
};

struct SeatChange {
  std::size_t index;
  char status;
};

std::string encode_statuses(std::span<const store::SeatStatus> seats);
std::string availability_version(std::string_view statuses);
// The seats whose letter differs; nullopt when the two are not of the same seat map.
std::optional<std::vector<SeatChange>> changes_between(std::string_view before,
                                                       std::string_view after);

struct AvailabilityHistoryLimits {
  std::size_t kept_per_event = 32;
  // A snapshot this young answers reads without asking the store again: under a rush the
  // history then spans seconds, not the last few requests.
  std::chrono::milliseconds reuse_for{250};
  std::chrono::seconds kept_for{120};
};

class AvailabilityHistory {
 public:
  AvailabilityHistory(const Clock& clock, AvailabilityHistoryLimits limits = {});

  // The event's newest snapshot when younger than `reuse_for`, else null.
  [[nodiscard]] std::shared_ptr<const AvailabilitySnapshot> fresh(const std::string& event_id);
  // Keeps the state read from the store by a read that began at `read_started`, and
  // returns the snapshot to answer with: this one, or a newer one that a read begun later
  // recorded first (under a rush reads overtake each other, and an older state must never
  // become the newest: clients would see sold seats come back).
  std::shared_ptr<const AvailabilitySnapshot> record(const std::string& event_id,
                                                     const store::Availability& availability,
                                                     TimePoint read_started);
  [[nodiscard]] std::shared_ptr<const AvailabilitySnapshot> find(const std::string& event_id,
                                                                 std::string_view version);

 private:
  using Snapshots = std::vector<std::shared_ptr<const AvailabilitySnapshot>>;
  void forget_old(TimePoint now);

  const Clock& clock_;
  AvailabilityHistoryLimits limits_;
  std::mutex mutex_;
  // Oldest first.
  std::unordered_map<std::string, Snapshots> events_;
  TimePoint last_pruned_{};
};

}  // namespace boxoffice::sales
