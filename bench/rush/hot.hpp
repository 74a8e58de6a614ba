// `hot`: every buyer fights for the same few seats, holding them by id and letting them go
// at once, for a fixed time: contention on a handful of rows, not throughput of a sale.
#pragma once

#include "rush/workers.hpp"

#include <chrono>
#include <string>

namespace boxoffice::rush {

struct HotOptions {
  RunOptions run;
  std::string state_path;
  std::string json_path;
  std::size_t users = 0;  // 0: every account in the state file
  std::size_t seats = 4;  // K: the contested seats
  std::int64_t max_quantity = 4;
  std::chrono::seconds duration{30};
};

int run_hot(const HotOptions& options);

}  // namespace boxoffice::rush
