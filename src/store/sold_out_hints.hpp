// When a category sells out, every buyer still asks for it, often several times (four
// seats, then three, two, one), and under a rush those refusals outnumber the sales: each
// one read the category's seats from the shared inventory and took its turn at the
// category's gate. So an instance remembers, for a moment, how many seats of a category
// its last look found free, and refuses a request for more than that at once.
//
// A refusal may be stale by at most `ttl` for seats freed on another instance (a release
// or an expiry there), as counts and seat maps already are. Seats freed through this
// instance forget its hints for the event at once. A hint counts nobody's own hold, so the
// store asks it only for users without a hold on the event (whose own seats would count
// as free for them).
#pragma once

#include "common/clock.hpp"
#include "domain/seat_map.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace boxoffice::store {

class SoldOutHints {
 public:
  SoldOutHints(const Clock& clock, std::chrono::milliseconds ttl) : clock_(clock), ttl_(ttl) {}

  // A look at the category found `free` seats free (not counting the asker's own hold);
  // `looked_at` is when the look began, so a look that a freeing overtook is not kept.
  void record(const std::string& event_id, domain::CategoryIndex category, std::int64_t free,
              TimePoint looked_at);
  // Whether `quantity` seats surely cannot be found now, going by a recent look.
  [[nodiscard]] bool refuses(const std::string& event_id, domain::CategoryIndex category,
                             std::int64_t quantity);
  // Seats of the event may have been freed (or held by someone who may ask again).
  void forget(const std::string& event_id);
  // Seats of any event may have been freed (an expiry sweep).
  void forget_all();

 private:
  struct Hint {
    std::int64_t free = 0;
    TimePoint looked_at;
  };

  const Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::map<std::pair<std::string, domain::CategoryIndex>, Hint> hints_;
  // When each event last forgot its hints, and when all did: a look begun before that
  // may have missed the freed seats.
  std::map<std::string, TimePoint> forgotten_at_;
  TimePoint all_forgotten_at_{};
};

}  // namespace boxoffice::store
