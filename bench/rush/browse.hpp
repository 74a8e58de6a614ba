// `browse`: anonymous readers of the catalogue (event list, event page, seat map) for a
// fixed time, the traffic a storefront sees before and around an on-sale.
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
};

int run_browse(const BrowseOptions& options);

}  // namespace boxoffice::rush
