// What happened to each kind of request: latencies, every status code, and the failures
// that have no status (timeouts, refused or broken connections), with a few samples of
// each so that a report shows what went wrong, not only how often.
#pragma once

#include "rush/histogram.hpp"
#include "rush/http_client.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace boxoffice::rush {

struct OperationStats {
  Histogram latency_us;  // answered requests only, whatever their status
  std::map<unsigned, std::uint64_t> statuses;
  std::uint64_t timeouts = 0;
  std::uint64_t connect_errors = 0;
  std::uint64_t io_errors = 0;
  std::vector<std::string> samples;

  void merge(const OperationStats& other);
  [[nodiscard]] std::uint64_t requests() const;
  [[nodiscard]] std::uint64_t server_errors() const;
  [[nodiscard]] std::uint64_t failures() const { return timeouts + connect_errors + io_errors; }
};

class Recorder {
 public:
  void record(std::string_view operation, const Response& response);
  void merge(const Recorder& other);

  [[nodiscard]] const std::map<std::string, OperationStats, std::less<>>& operations() const {
    return operations_;
  }
  [[nodiscard]] std::uint64_t count(std::string_view operation, unsigned status) const;

 private:
  OperationStats& at(std::string_view operation);

  std::map<std::string, OperationStats, std::less<>> operations_;
};

}  // namespace boxoffice::rush
