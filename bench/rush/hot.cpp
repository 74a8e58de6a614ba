#include "rush/hot.hpp"

#include "rush/json_util.hpp"
#include "rush/report.hpp"
#include "rush/setup.hpp"
#include "rush/state_file.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace boxoffice::rush {
namespace {

namespace asio = boost::asio;
using boost::beast::http::verb;

struct HotOutcome {
  std::uint64_t attempts = 0;
  std::uint64_t holds = 0;
  std::uint64_t conflicts = 0;
  std::uint64_t releases = 0;
  std::uint64_t other = 0;
};

// The first `count` available seats of the map, in map order: neighbours in one row.
std::vector<std::string> contested_seats(const HotOptions& options, const State& state) {
  std::vector<std::string> seats;
  RunOptions run = options.run;
  run.threads = 1;
  Workers workers{run, 1};
  std::string failure;
  auto read = [&](Worker& worker, std::size_t) -> asio::awaitable<void> {
    Request request;
    request.target = "/api/v1/events/" + state.event_id + "/seats";
    const auto response =
        co_await worker.call_patiently("seats", request, Clock::now() + std::chrono::minutes(1));
    if (response.status != 200) {
      failure = response.ok() ? "HTTP " + std::to_string(response.status) : response.error;
      co_return;
    }
    const auto body = parse_object(response.body);
    for (const auto& item : array_at(body, "seats")) {
      const auto& seat = item.as_object();
      if (string_at(seat, "status") == "available" && seats.size() < options.seats) {
        seats.push_back(string_at(seat, "id"));
      }
    }
  };
  workers.run(1, read);
  if (!failure.empty()) {
    throw std::runtime_error("cannot read the seat map: " + failure);
  }
  if (seats.size() < options.seats) {
    throw std::runtime_error("only " + std::to_string(seats.size()) +
                             " seats are available; --seats asks for " +
                             std::to_string(options.seats));
  }
  return seats;
}

}  // namespace

int run_hot(const HotOptions& options) {
  if (options.seats == 0) {
    throw std::invalid_argument("--seats must be at least 1");
  }
  auto state = load_state(options.state_path);
  const auto users = options.users == 0 ? state.accounts.size() : options.users;
  if (users > state.accounts.size()) {
    throw std::invalid_argument("--users " + std::to_string(users) + " but the state file has " +
                                std::to_string(state.accounts.size()) + " accounts");
  }
  ensure_sessions(state, options.run, options.state_path);
  const auto seats = contested_seats(options, state);
  const auto most = static_cast<std::size_t>(
      std::max<std::int64_t>(1, std::min({options.max_quantity, state.max_tickets_per_order,
                                          static_cast<std::int64_t>(seats.size())})));

  Workers workers{options.run};
  std::vector<HotOutcome> outcomes(users);
  const auto started = Clock::now();
  const auto deadline = started + options.duration;
  auto fighter = [&](Worker& worker, std::size_t index) -> asio::awaitable<void> {
    auto& outcome = outcomes[index];
    auto& random = worker.random();
    const auto& token = state.accounts[index].token;
    std::vector<std::size_t> order(seats.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    while (Clock::now() < deadline) {
      const auto count = std::uniform_int_distribution<std::size_t>{1, most}(random);
      std::shuffle(order.begin(), order.end(), random);
      boost::json::array wanted;
      for (std::size_t i = 0; i < count; ++i) {
        wanted.emplace_back(seats[order[i]]);
      }
      Request request;
      request.method = verb::post;
      request.target = "/api/v1/events/" + state.event_id + "/holds";
      request.bearer = token;
      request.body = boost::json::serialize(boost::json::object{{"seats", std::move(wanted)}});
      ++outcome.attempts;
      const auto response = co_await worker.call_patiently("hold", request, deadline);
      if (response.status == 409) {
        ++outcome.conflicts;
        continue;
      }
      if (response.status != 201) {
        ++outcome.other;
        co_await worker.sleep(worker.backoff(response, 0));
        continue;
      }
      ++outcome.holds;
      Request release;
      release.method = verb::delete_;
      release.target =
          "/api/v1/holds/" + string_at(object_at(parse_object(response.body), "hold"), "id");
      release.bearer = token;
      // Past the deadline too: a hold left behind would block the seats for hold_seconds.
      const auto released = co_await worker.call_patiently("release", release,
                                                           Clock::now() + std::chrono::seconds(30));
      outcome.releases += released.status == 204 ? 1 : 0;
    }
  };
  workers.run(users, fighter);
  const double duration = std::chrono::duration<double>(Clock::now() - started).count();

  HotOutcome total;
  for (const auto& outcome : outcomes) {
    total.attempts += outcome.attempts;
    total.holds += outcome.holds;
    total.conflicts += outcome.conflicts;
    total.releases += outcome.releases;
    total.other += outcome.other;
  }
  auto per_second = [duration](std::uint64_t count) {
    return duration > 0 ? static_cast<double>(count) / duration : 0.0;
  };
  Report report;
  report.command = "hot";
  report.options = options.run;
  report.users = users;
  report.duration_seconds = duration;
  boost::json::array contested;
  for (const auto& seat : seats) {
    contested.emplace_back(seat);
  }
  report.figures["contested_seats"] = std::move(contested);
  report.figures["hold_attempts"] = total.attempts;
  report.figures["hold_attempts_per_second"] = per_second(total.attempts);
  report.figures["holds"] = total.holds;
  report.figures["holds_per_second"] = per_second(total.holds);
  report.figures["conflicts"] = total.conflicts;
  report.figures["conflict_ratio"] = total.attempts > 0 ? static_cast<double>(total.conflicts) /
                                                              static_cast<double>(total.attempts)
                                                        : 0.0;
  report.figures["releases"] = total.releases;
  report.figures["other_answers"] = total.other;
  report.recorder = workers.merged_recorder();
  report.connects = workers.connects();
  report.crashed_users = workers.crashed_users();
  publish(report, options.json_path);
  return report.crashed_users == 0 ? 0 : 1;
}

}  // namespace boxoffice::rush
