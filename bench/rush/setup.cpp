#include "rush/setup.hpp"

#include "rush/json_util.hpp"
#include "rush/report.hpp"

#include <boost/json/serialize.hpp>

#include <atomic>
#include <chrono>
#include <ctime>
#include <iostream>
#include <stdexcept>

namespace boxoffice::rush {
namespace {

namespace asio = boost::asio;
using boost::beast::http::verb;

constexpr std::size_t password_length = 20;
constexpr int max_attempts = 8;

std::vector<std::string> category_names(std::size_t count) {
  static constexpr const char* names[] = {"platinum", "gold", "silver", "bronze", "standard"};
  std::vector<std::string> result;
  for (std::size_t i = 0; i < count; ++i) {
    result.emplace_back(i < std::size(names) ? std::string{names[i]}
                                             : "category-" + std::to_string(i + 1));
  }
  return result;
}

std::string rfc3339_in(std::chrono::hours from_now) {
  const auto time =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + from_now);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Sections of rows of numbered seats adding up to exactly `seats`; section s of S gets
// category s*K/S, so the categories are contiguous blocks like a real hall's price zones.
boost::json::object venue_body(const SetupOptions& options,
                               const std::vector<std::string>& categories) {
  const auto sections = std::clamp<std::size_t>(options.sections, 1, options.seats);
  const auto rows = std::clamp<std::size_t>(options.rows_per_section, 1,
                                            std::max<std::size_t>(options.seats / sections, 1));
  const auto total_rows = sections * rows;
  boost::json::array section_list;
  std::size_t row_number = 0;
  for (std::size_t s = 0; s < sections; ++s) {
    boost::json::array row_list;
    for (std::size_t r = 0; r < rows; ++r, ++row_number) {
      const auto seats =
          options.seats / total_rows + (row_number < options.seats % total_rows ? 1 : 0);
      row_list.push_back(boost::json::object{{"label", std::to_string(r + 1)}, {"seats", seats}});
    }
    section_list.push_back(boost::json::object{
        {"name", "Section " + std::to_string(s + 1)},
        {"category", categories[s * categories.size() / sections]},
        {"rows", std::move(row_list)},
    });
  }
  return boost::json::object{{"name", "Rush Arena " + rfc3339_in(std::chrono::hours{0})},
                             {"sections", std::move(section_list)}};
}

asio::awaitable<Response> admin_call(Worker& worker, std::string_view operation, verb method,
                                     std::string target, const boost::json::object& body,
                                     std::string token) {
  Request request;
  request.method = method;
  request.target = std::move(target);
  request.body = boost::json::serialize(body);
  request.bearer = std::move(token);
  auto response =
      co_await worker.call_patiently(operation, request, Clock::now() + std::chrono::minutes(1));
  co_return response;
}

[[noreturn]] void refused(std::string_view what, const Response& response) {
  throw std::runtime_error(std::string{what} + " failed: " +
                           (response.ok() ? "HTTP " + std::to_string(response.status) + " " +
                                                response.body.substr(0, 300)
                                          : response.error));
}

// Signs up (or, when the address is taken from an earlier run, logs in) one account,
// retrying faults a few times. Returns the session token.
asio::awaitable<std::string> open_account(Worker& worker, const Account& account, bool signup) {
  Request request;
  request.method = verb::post;
  request.target = signup ? "/api/v1/auth/signup" : "/api/v1/auth/login";
  boost::json::object body{{"email", account.email}, {"password", account.password}};
  if (signup) {
    body["name"] = "Rush Buyer";
  }
  request.body = boost::json::serialize(body);
  const auto operation = signup ? "signup" : "login";
  for (int attempt = 0;; ++attempt) {
    auto response =
        co_await worker.call_patiently(operation, request, Clock::now() + std::chrono::minutes(5));
    if (response.status == 200 || response.status == 201) {
      co_return string_at(parse_object(response.body), "token");
    }
    if (signup && response.status == 409) {
      auto token = co_await open_account(worker, account, false);
      co_return token;
    }
    const bool fault = !response.ok() || response.status >= 500;
    if (!fault || attempt + 1 >= max_attempts) {
      refused(std::string{operation} + " of " + account.email, response);
    }
    co_await worker.sleep(worker.backoff(response, attempt));
  }
}

// Runs `open_account` for every account, `parallel` at a time over the workers.
void open_accounts(Workers& workers, std::vector<Account>& accounts, bool signup,
                   std::size_t parallel) {
  std::atomic<std::size_t> next{0};
  auto user = [&accounts, &next, signup](Worker& worker, std::size_t) -> asio::awaitable<void> {
    for (auto i = next++; i < accounts.size(); i = next++) {
      auto token = co_await open_account(worker, accounts[i], signup);
      accounts[i].token = std::move(token);
    }
  };
  workers.run(std::min(parallel, accounts.size()), user);
  if (workers.crashed_users() > 0) {
    throw std::runtime_error("some accounts could not be opened (see above)");
  }
}

}  // namespace

int run_setup(const SetupOptions& options) {
  if (options.seats == 0 || options.categories == 0 || options.accounts == 0) {
    throw std::invalid_argument("--seats, --categories and --accounts must be at least 1");
  }
  State state;
  state.url = options.run.url;
  state.admin_email = options.admin_email;
  state.currency = "EUR";
  state.max_tickets_per_order = options.max_tickets_per_order;
  state.categories = category_names(std::min(options.categories, options.sections));

  Workers workers{options.run};
  const auto started = Clock::now();
  auto create = [&](Worker& worker, std::size_t) -> asio::awaitable<void> {
    const boost::json::object credentials{{"email", options.admin_email},
                                          {"password", options.admin_password}};
    auto login =
        co_await admin_call(worker, "login", verb::post, "/api/v1/auth/login", credentials, "");
    if (login.status != 200) {
      refused("the admin's log-in", login);
    }
    state.admin_token = string_at(parse_object(login.body), "token");

    const auto venue_request = venue_body(options, state.categories);
    auto venue = co_await admin_call(worker, "create_venue", verb::post, "/api/v1/admin/venues",
                                     venue_request, state.admin_token);
    if (venue.status != 201) {
      refused("creating the venue", venue);
    }
    const auto venue_object = parse_object(venue.body);
    state.venue_id = string_at(object_at(venue_object, "venue"), "id");
    state.capacity = integer_at(object_at(venue_object, "venue"), "capacity");

    boost::json::object prices;
    std::int64_t price = 12'000;
    for (const auto& category : state.categories) {
      prices[category] = price;
      price = std::max<std::int64_t>(price - 3'000, 1'000);
    }
    const boost::json::object event_request{
        {"venue_id", state.venue_id},
        {"title",
         options.title.empty() ? "Rush " + rfc3339_in(std::chrono::hours{0}) : options.title},
        {"artist", "boxoffice-rush"},
        {"starts_at", rfc3339_in(std::chrono::hours{24 * 30})},
        // Stated, not left to the server's default, so that every implementation of the
        // contract opens the sale at once.
        {"sale_starts_at", rfc3339_in(std::chrono::hours{-1})},
        {"currency", state.currency},
        {"prices", std::move(prices)},
        {"max_tickets_per_order", options.max_tickets_per_order},
        {"hold_seconds", options.hold_seconds},
    };
    auto event = co_await admin_call(worker, "create_event", verb::post, "/api/v1/admin/events",
                                     event_request, state.admin_token);
    if (event.status != 201) {
      refused("creating the event", event);
    }
    state.event_id = string_at(object_at(parse_object(event.body), "event"), "id");

    const boost::json::object on_sale{{"status", "on_sale"}};
    auto opened =
        co_await admin_call(worker, "open_sale", verb::patch,
                            "/api/v1/admin/events/" + state.event_id, on_sale, state.admin_token);
    if (opened.status != 200) {
      refused("opening the sale", opened);
    }
  };
  workers.run(1, create);
  if (workers.crashed_users() > 0) {
    return 1;
  }
  std::cout << "event " << state.event_id << " on sale: " << state.capacity << " seats in "
            << state.categories.size() << " categories (venue " << state.venue_id << ")\n";

  std::random_device device;
  std::mt19937_64 random{options.run.seed != 0 ? options.run.seed : device()};
  const auto run_id = random_token(random, 10);
  state.accounts.reserve(options.accounts);
  for (std::size_t i = 0; i < options.accounts; ++i) {
    state.accounts.push_back(Account{
        .email = "rush-" + run_id + "-" + std::to_string(i) + "@example.com",
        .password = random_token(random, password_length),
        .token = {},
    });
  }
  const auto signups_started = Clock::now();
  open_accounts(workers, state.accounts, true, options.run.connections);
  const auto signup_seconds = std::chrono::duration<double>(Clock::now() - signups_started).count();
  save_state(options.state_path, state);

  Report report;
  report.command = "setup";
  report.options = options.run;
  report.users = state.accounts.size();
  report.duration_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  report.figures["event_id"] = state.event_id;
  report.figures["capacity"] = state.capacity;
  report.figures["categories"] = state.categories.size();
  report.figures["accounts"] = state.accounts.size();
  report.figures["signup_seconds"] = signup_seconds;
  report.figures["signups_per_second"] =
      signup_seconds > 0 ? static_cast<double>(state.accounts.size()) / signup_seconds : 0.0;
  report.figures["state_file"] = options.state_path;
  report.recorder = workers.merged_recorder();
  report.connects = workers.connects();
  publish(report, options.json_path);
  return 0;
}

void ensure_sessions(State& state, const RunOptions& options, const std::string& state_path) {
  bool missing = false;
  for (const auto& account : state.accounts) {
    missing = missing || account.token.empty();
  }
  Workers workers{options};
  if (!missing && !state.accounts.empty()) {
    bool alive = false;
    auto check = [&](Worker& worker, std::size_t) -> asio::awaitable<void> {
      Request request;
      request.target = "/api/v1/me";
      request.bearer = state.accounts.front().token;
      auto response =
          co_await worker.call_patiently("me", request, Clock::now() + std::chrono::minutes(1));
      alive = response.status == 200;
    };
    workers.run(1, check);
    if (alive) {
      return;
    }
  }
  std::cout << "logging in " << state.accounts.size() << " accounts\n" << std::flush;
  open_accounts(workers, state.accounts, false, options.connections);
  save_state(state_path, state);
}

}  // namespace boxoffice::rush
