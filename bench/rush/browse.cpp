#include "rush/browse.hpp"

#include "rush/report.hpp"
#include "rush/state_file.hpp"

#include <stdexcept>

namespace boxoffice::rush {
namespace {

namespace asio = boost::asio;

// The "version" member of an availability answer, found without parsing the statuses:
// the reader must stay cheap next to the server it measures.
std::string version_of(std::string_view body) {
  constexpr std::string_view key = R"("version":")";
  const auto start = body.find(key);
  if (start == std::string_view::npos) {
    return {};
  }
  const auto end = body.find('"', start + key.size());
  return end == std::string_view::npos
             ? std::string{}
             : std::string{body.substr(start + key.size(), end - start - key.size())};
}

}  // namespace

int run_browse(const BrowseOptions& options) {
  if (options.list_percent < 0 || options.event_percent < 0 ||
      options.list_percent + options.event_percent > 100) {
    throw std::invalid_argument("the browse mix must add up to at most 100 %");
  }
  const auto state = load_state(options.state_path);
  const auto users =
      options.users == 0 ? std::max<std::size_t>(state.accounts.size(), 1) : options.users;
  Workers workers{options.run};
  std::vector<std::uint64_t> reads(users, 0);
  const auto started = Clock::now();
  const auto deadline = started + options.duration;
  const std::string event_target = "/api/v1/events/" + state.event_id;
  auto reader = [&](Worker& worker, std::size_t index) -> asio::awaitable<void> {
    std::uniform_int_distribution<int> percent{0, 99};
    Request list;
    list.target = "/api/v1/events";
    Request event;
    event.target = event_target;
    Request seats;
    seats.target = event_target + "/seats";
    Request availability;
    const auto availability_target = event_target + "/availability";
    availability.target = availability_target;
    bool has_seats = false;
    while (Clock::now() < deadline) {
      const auto roll = percent(worker.random());
      if (roll < options.list_percent) {
        co_await worker.call_patiently("events", list, deadline);
      } else if (roll < options.list_percent + options.event_percent) {
        co_await worker.call_patiently("event", event, deadline);
      } else if (!options.seat_map_deltas || !has_seats) {
        const auto answer = co_await worker.call_patiently("seat_map", seats, deadline);
        has_seats = answer.status == 200;
      } else {
        const auto answer = co_await worker.call_patiently("availability", availability, deadline);
        if (const auto version = version_of(answer.body); !version.empty()) {
          availability.target = availability_target;
          availability.target += "?since=";
          availability.target += version;
        }
      }
      ++reads[index];
    }
  };
  workers.run(users, reader);
  const double duration = std::chrono::duration<double>(Clock::now() - started).count();
  std::uint64_t total = 0;
  for (const auto count : reads) {
    total += count;
  }
  Report report;
  report.command = "browse";
  report.options = options.run;
  report.users = users;
  report.duration_seconds = duration;
  report.figures["reads"] = total;
  report.figures["reads_per_second"] = duration > 0 ? static_cast<double>(total) / duration : 0.0;
  report.recorder = workers.merged_recorder();
  report.connects = workers.connects();
  report.crashed_users = workers.crashed_users();
  publish(report, options.json_path);
  return report.crashed_users == 0 ? 0 : 1;
}

}  // namespace boxoffice::rush
