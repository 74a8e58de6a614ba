// The outcome of a run: a readable summary on standard output and, with --json, the
// same and more as a JSON file for scripts and for comparing runs.
#pragma once

#include "rush/stats.hpp"
#include "rush/workers.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

namespace boxoffice::rush {

struct Report {
  std::string command;
  RunOptions options;
  std::size_t users = 0;
  double duration_seconds = 0;
  // The command's headline numbers, printed in this order.
  boost::json::object figures;
  // Only in the JSON file: long lists (e.g. the ids of the orders answered 201).
  boost::json::object details;
  Recorder recorder;
  std::uint64_t connects = 0;
  std::uint64_t crashed_users = 0;
};

[[nodiscard]] boost::json::object report_json(const Report& report);
[[nodiscard]] std::string report_text(const Report& report);
// Prints the summary; writes the JSON file when `json_path` is not empty.
void publish(const Report& report, const std::string& json_path);

}  // namespace boxoffice::rush
