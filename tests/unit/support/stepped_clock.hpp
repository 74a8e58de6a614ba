// A clock that moves only when a test moves it, so lifetimes are checked to the instant.
#pragma once

#include "common/clock.hpp"

#include <chrono>

namespace boxoffice {

class SteppedClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override { return now_; }
  void advance(TimePoint::duration by) { now_ += by; }

 private:
  TimePoint now_{std::chrono::seconds{1'750'000'000}};
};

}  // namespace boxoffice
