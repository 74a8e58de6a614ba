// `setup`: an admin makes a venue and an event on sale, then many customer accounts sign
// up; everything the other commands need goes into the state file.
#pragma once

#include "rush/state_file.hpp"
#include "rush/workers.hpp"

#include <cstdint>
#include <string>

namespace boxoffice::rush {

struct SetupOptions {
  RunOptions run;
  std::string state_path;
  std::string json_path;
  std::string admin_email;
  std::string admin_password;
  std::size_t seats = 5'000;
  std::size_t sections = 4;
  std::size_t rows_per_section = 25;
  std::size_t categories = 3;
  std::size_t accounts = 2'000;
  std::int64_t hold_seconds = 600;
  std::int64_t max_tickets_per_order = 8;
  std::string title;
};

int run_setup(const SetupOptions& options);

// Makes sure every account has a live session before a run (untimed): checks one token and
// logs every account in again when it no longer works (sessions expire when idle). Saves
// the state when tokens changed.
void ensure_sessions(State& state, const RunOptions& options, const std::string& state_path);

}  // namespace boxoffice::rush
