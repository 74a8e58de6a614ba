// `sellout`: every buyer holds the best available seats of some category and buys them
// (or now and then lets them go) until every category answers sold_out.
#pragma once

#include "rush/workers.hpp"

#include <chrono>
#include <string>

namespace boxoffice::rush {

struct SelloutOptions {
  RunOptions run;
  std::string state_path;
  std::string json_path;
  std::size_t users = 0;  // 0: every account in the state file
  int release_percent = 10;
  int decline_percent = 0;
  std::int64_t max_quantity = 4;
  std::chrono::seconds max_duration{600};
};

int run_sellout(const SelloutOptions& options);

}  // namespace boxoffice::rush
