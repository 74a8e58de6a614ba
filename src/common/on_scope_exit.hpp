// Runs a step when the scope ends, normally or by an exception: for work that must follow
// a change whether or not the change reported success (it may have happened all the same).
#pragma once

#include <utility>

namespace boxoffice {

template <typename Step>
class OnScopeExit {
 public:
  explicit OnScopeExit(Step step) : step_(std::move(step)) {}
  ~OnScopeExit() { step_(); }
  OnScopeExit(const OnScopeExit&) = delete;
  OnScopeExit& operator=(const OnScopeExit&) = delete;
  OnScopeExit(OnScopeExit&&) = delete;
  OnScopeExit& operator=(OnScopeExit&&) = delete;

 private:
  Step step_;
};

}  // namespace boxoffice
