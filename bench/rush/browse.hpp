// `browse`: anonymous readers of the catalogue (event list, event page, seat map) for a
// fixed time, the traffic a storefront sees before and around an on-sale. A seat-map read
// is what the storefront polls: the availability delta (the seats themselves once per
// reader), or with `seat_map_deltas` off the whole seat map every time.
#pragma once

#include "rush/workers.hpp"

#include <chrono>
#include <string>

namespace boxoffice::rush {

struct BrowseOptions {
  RunOptions run;
  std::string state_path;
  std::string json_path;
  std::size_t users = 0;  // 0: as many as there are accounts in the state file
  std::chrono::seconds duration{30};
  // Shares of the mix, in percent; the seat map gets the rest.
  int list_percent = 20;
  int event_percent = 50;
  // As the web front end does: the seats once per reader, then only what changed since
  // the version it holds (GET /events/{id}/availability?since=). false: every seat-map
  // read downloads every seat.
  bool seat_map_deltas = true;
};

int run_browse(const BrowseOptions& options);

}  // namespace boxoffice::rush
