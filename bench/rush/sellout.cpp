#include "rush/sellout.hpp"

#include "rush/json_util.hpp"
#include "rush/report.hpp"
#include "rush/setup.hpp"
#include "rush/state_file.hpp"

#include <boost/json/serialize.hpp>

#include <iostream>
#include <numeric>
#include <stdexcept>
#include <thread>

namespace boxoffice::rush {
namespace {

namespace asio = boost::asio;
using boost::beast::http::verb;

// Retries of one order after faults or shedding, with the same Idempotency-Key.
constexpr int max_order_attempts = 30;
// Unexpected answers in a row (401, 403, 400, ...) after which a buyer stops: the run is
// broken and hammering on would only hide that.
constexpr int max_unexpected_in_a_row = 20;
constexpr std::size_t key_length = 32;

struct BuyerOutcome {
  std::vector<ConfirmedOrder> orders;
  std::uint64_t holds = 0;
  std::uint64_t releases = 0;
  std::uint64_t declines = 0;
  std::uint64_t holds_lost = 0;
  std::uint64_t orders_abandoned = 0;
  std::uint64_t order_retries = 0;
  std::uint64_t unexpected = 0;
  bool saw_sold_out = false;
  bool gave_up = false;
  Clock::time_point last_order{};
};

struct Hold {
  std::string id;
  std::size_t seats = 0;
};

struct Buyer {
  Worker& worker;
  const std::string& token;
  const State& state;
  const SelloutOptions& options;
  Clock::time_point deadline;
  BuyerOutcome& outcome;

  std::string hold_body(const std::string& category, std::int64_t quantity) const {
    return boost::json::serialize(
        boost::json::object{{"category", category}, {"quantity", quantity}});
  }

  static std::string order_body(const std::string& hold_id, const std::string& payment) {
    return boost::json::serialize(boost::json::object{
        {"hold_id", hold_id},
        {"payment", boost::json::object{{"method", "test"}, {"token", payment}}},
    });
  }

  asio::awaitable<void> release(const std::string& hold_id) {
    Request request;
    request.method = verb::delete_;
    request.target = "/api/v1/holds/" + hold_id;
    request.bearer = token;
    const auto response = co_await worker.call_patiently("release", request, deadline);
    if (response.status == 204) {
      ++outcome.releases;
    }
  }

  // Buys the hold: retries with the same key until an answer says what happened.
  asio::awaitable<void> order(const Hold& hold) {
    auto& random = worker.random();
    std::uniform_int_distribution<int> percent{0, 99};
    std::string payment = percent(random) < options.decline_percent ? "tok_declined" : "tok_visa";
    Request request;
    request.method = verb::post;
    request.target = "/api/v1/orders";
    request.bearer = token;
    request.body = order_body(hold.id, payment);
    request.idempotency_key = random_token(random, key_length);
    for (int attempt = 0;; ++attempt) {
      const auto response = co_await worker.call("order", request);
      if (response.status == 201) {
        const auto body = parse_object(response.body);
        const auto& placed = object_at(body, "order");
        ConfirmedOrder confirmed{.id = string_at(placed, "id"), .seats = {}, .total = 0};
        confirmed.total = integer_at(placed, "total");
        for (const auto& ticket : array_at(placed, "tickets")) {
          confirmed.seats.push_back(string_at(object_at(ticket.as_object(), "seat"), "id"));
        }
        outcome.orders.push_back(std::move(confirmed));
        outcome.last_order = Clock::now();
        co_return;
      }
      if (response.status == 402) {
        // The hold stays after a decline; paying with another card is another request
        // body, so it needs a key of its own.
        ++outcome.declines;
        request.body = order_body(hold.id, "tok_visa");
        request.idempotency_key = random_token(random, key_length);
        continue;
      }
      const bool retry = !response.ok() || response.status >= 500 || response.status == 429;
      if (!retry) {
        // 409 hold_expired (or anything else final): the seats went back on sale.
        ++outcome.holds_lost;
        co_return;
      }
      if (attempt + 1 >= max_order_attempts || Clock::now() >= deadline) {
        ++outcome.orders_abandoned;
        co_await release(hold.id);
        co_return;
      }
      ++outcome.order_retries;
      co_await worker.sleep(worker.backoff(response, attempt));
    }
  }

  asio::awaitable<void> run() {
    auto& random = worker.random();
    std::uniform_int_distribution<int> percent{0, 99};
    const auto categories = state.categories.size();
    const auto most =
        std::max<std::int64_t>(1, std::min(options.max_quantity, state.max_tickets_per_order));
    // The largest quantity that may still fit in each category: a sold_out answer for
    // 3 seats only says that 3 adjacent-or-not seats are not left, so ask for fewer.
    std::vector<std::int64_t> fits(categories, most);
    std::vector<std::size_t> open(categories);
    std::iota(open.begin(), open.end(), std::size_t{0});
    int unexpected_in_a_row = 0;

    while (!open.empty() && Clock::now() < deadline) {
      const auto pick = std::uniform_int_distribution<std::size_t>{0, open.size() - 1}(random);
      const auto category = open[pick];
      const auto quantity = std::uniform_int_distribution<std::int64_t>{1, fits[category]}(random);
      Request request;
      request.method = verb::post;
      request.target = "/api/v1/events/" + state.event_id + "/holds";
      request.bearer = token;
      request.body = hold_body(state.categories[category], quantity);
      const auto response = co_await worker.call_patiently("hold", request, deadline);

      if (response.status == 409 && response.error_code() == "sold_out") {
        unexpected_in_a_row = 0;
        if (quantity > 1) {
          fits[category] = quantity - 1;
        } else {
          open.erase(open.begin() + static_cast<std::ptrdiff_t>(pick));
        }
        continue;
      }
      if (response.status != 201) {
        const bool fault = !response.ok() || response.status >= 500 || response.status == 429 ||
                           response.status == 503;
        if (!fault) {
          ++outcome.unexpected;
          if (++unexpected_in_a_row >= max_unexpected_in_a_row) {
            outcome.gave_up = true;
            co_return;
          }
        }
        co_await worker.sleep(worker.backoff(response, unexpected_in_a_row));
        continue;
      }
      unexpected_in_a_row = 0;
      ++outcome.holds;
      const auto body = parse_object(response.body);
      const auto& held = object_at(body, "hold");
      Hold hold{.id = string_at(held, "id"), .seats = array_at(held, "seats").size()};
      if (percent(random) < options.release_percent) {
        co_await release(hold.id);
        continue;
      }
      co_await order(hold);
    }
    outcome.saw_sold_out = open.empty();
  }
};

struct EventFigures {
  std::string status;
  std::int64_t available = -1;
};

EventFigures read_event(const SelloutOptions& options, const State& state) {
  EventFigures figures;
  RunOptions run = options.run;
  run.threads = 1;
  Workers workers{run, 1};
  auto read = [&](Worker& worker, std::size_t) -> asio::awaitable<void> {
    Request request;
    request.target = "/api/v1/events/" + state.event_id;
    const auto response =
        co_await worker.call_patiently("event", request, Clock::now() + std::chrono::minutes(1));
    if (response.status == 200) {
      const auto body = parse_object(response.body);
      const auto& event = object_at(body, "event");
      figures.status = string_at(event, "status");
      figures.available = integer_at(event, "available");
    }
  };
  workers.run(1, read);
  return figures;
}

}  // namespace

int run_sellout(const SelloutOptions& options) {
  auto state = load_state(options.state_path);
  const auto users = options.users == 0 ? state.accounts.size() : options.users;
  if (users > state.accounts.size()) {
    throw std::invalid_argument("--users " + std::to_string(users) + " but the state file has " +
                                std::to_string(state.accounts.size()) + " accounts");
  }
  if (state.categories.empty()) {
    throw std::runtime_error("the state file names no categories");
  }
  ensure_sessions(state, options.run, options.state_path);

  Workers workers{options.run};
  std::vector<BuyerOutcome> outcomes(users);
  const auto started = Clock::now();
  const auto deadline = started + options.max_duration;
  auto buyer = [&](Worker& worker, std::size_t index) -> asio::awaitable<void> {
    Buyer one{worker, state.accounts[index].token, state, options, deadline, outcomes[index]};
    co_await one.run();
  };
  workers.run(users, buyer);
  const auto finished = Clock::now();

  std::uint64_t orders = 0;
  std::uint64_t seats = 0;
  std::uint64_t holds = 0;
  std::uint64_t releases = 0;
  std::uint64_t declines = 0;
  std::uint64_t lost = 0;
  std::uint64_t abandoned = 0;
  std::uint64_t retries = 0;
  std::uint64_t unexpected = 0;
  std::uint64_t gave_up = 0;
  bool every_buyer_saw_sold_out = true;
  auto last_order = started;
  boost::json::array order_ids;
  for (auto& outcome : outcomes) {
    for (auto& order : outcome.orders) {
      ++orders;
      seats += order.seats.size();
      order_ids.emplace_back(order.id);
      state.confirmed_orders.push_back(std::move(order));
    }
    holds += outcome.holds;
    releases += outcome.releases;
    declines += outcome.declines;
    lost += outcome.holds_lost;
    abandoned += outcome.orders_abandoned;
    retries += outcome.order_retries;
    unexpected += outcome.unexpected;
    gave_up += outcome.gave_up ? 1 : 0;
    every_buyer_saw_sold_out = every_buyer_saw_sold_out && outcome.saw_sold_out;
    if (!outcome.orders.empty()) {
      last_order = std::max(last_order, outcome.last_order);
    }
  }
  save_state(options.state_path, state);

  auto event = read_event(options, state);
  // An edge cache may answer with a copy a second or two old: when every buyer was told
  // "sold out", give the public figure a few seconds to catch up before calling it.
  for (int retry = 0; retry < 10 && every_buyer_saw_sold_out && event.available != 0; ++retry) {
    std::this_thread::sleep_for(std::chrono::milliseconds{500});
    event = read_event(options, state);
  }
  const double duration = std::chrono::duration<double>(finished - started).count();
  const double selling = std::chrono::duration<double>(last_order - started).count();
  const bool sold_out = every_buyer_saw_sold_out && event.available == 0;
  auto per_second = [](double count, double seconds) {
    return seconds > 0 ? count / seconds : 0.0;
  };

  Report report;
  report.command = "sellout";
  report.options = options.run;
  report.users = users;
  report.duration_seconds = duration;
  auto& figures = report.figures;
  figures["sold_out"] = sold_out;
  figures["event_status"] = event.status;
  figures["event_available"] = event.available;
  figures["capacity"] = state.capacity;
  figures["time_to_sell_out_seconds"] = sold_out ? boost::json::value(selling) : nullptr;
  figures["orders"] = orders;
  figures["seats"] = seats;
  figures["orders_per_second"] = per_second(static_cast<double>(orders), selling);
  figures["seats_per_second"] = per_second(static_cast<double>(seats), selling);
  figures["holds"] = holds;
  figures["holds_per_second"] = per_second(static_cast<double>(holds), duration);
  figures["releases"] = releases;
  figures["declines"] = declines;
  figures["holds_lost"] = lost;
  figures["orders_abandoned"] = abandoned;
  figures["order_retries"] = retries;
  figures["unexpected_answers"] = unexpected;
  figures["buyers_gave_up"] = gave_up;
  report.details["confirmed_order_ids"] = std::move(order_ids);
  report.recorder = workers.merged_recorder();
  report.connects = workers.connects();
  report.crashed_users = workers.crashed_users();
  publish(report, options.json_path);
  return sold_out && report.crashed_users == 0 ? 0 : 1;
}

}  // namespace boxoffice::rush
