#include "rush/verify.hpp"

#include "rush/database_check.hpp"
#include "rush/json_util.hpp"
#include "rush/state_file.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <stdexcept>

namespace boxoffice::rush {
namespace {

namespace asio = boost::asio;
using boost::beast::http::verb;

struct Checks {
  std::size_t passed = 0;
  std::vector<std::string> violations;

  void expect(bool ok, const std::string& violation) {
    if (ok) {
      ++passed;
    } else {
      violations.push_back(violation);
    }
  }
};

struct Sales {
  std::int64_t capacity = 0;
  std::int64_t sold = 0;
  std::int64_t held = 0;
  std::int64_t available = 0;
  std::int64_t orders = 0;
  std::int64_t revenue = 0;
};

struct SeatCounts {
  std::int64_t sold = 0;
  std::int64_t held = 0;
  std::int64_t available = 0;
};

struct ApiView {
  Sales sales;
  SeatCounts seat_map;
  std::int64_t event_capacity = 0;
  std::int64_t event_available = 0;
};

std::string text_of(const Response& response) {
  return response.ok()
             ? "HTTP " + std::to_string(response.status) + " " + response.body.substr(0, 200)
             : response.error;
}

std::string seat_list(const std::vector<std::string>& seats) {
  auto sorted = seats;
  std::sort(sorted.begin(), sorted.end());
  std::string text;
  for (const auto& seat : sorted) {
    text += (text.empty() ? "" : ",") + seat;
  }
  return text;
}

// Admin token: a fresh log-in when credentials are given, else the one setup saved.
asio::awaitable<std::string> admin_token(Worker& worker, const VerifyOptions& options,
                                         const State& state) {
  if (options.admin_password.empty()) {
    co_return state.admin_token;
  }
  Request request;
  request.method = verb::post;
  request.target = "/api/v1/auth/login";
  request.body = boost::json::serialize(boost::json::object{
      {"email", options.admin_email.empty() ? state.admin_email : options.admin_email},
      {"password", options.admin_password}});
  const auto deadline = Clock::now() + std::chrono::minutes{1};
  const auto response = co_await worker.call_patiently("login", request, deadline);
  if (response.status != 200) {
    throw std::runtime_error("the admin's log-in failed: " + text_of(response));
  }
  co_return string_at(parse_object(response.body), "token");
}

ApiView read_api(Workers& workers, const VerifyOptions& options, State& state) {
  ApiView view;
  auto read = [&](Worker& worker, std::size_t) -> asio::awaitable<void> {
    const auto deadline = Clock::now() + std::chrono::minutes{1};
    state.admin_token = co_await admin_token(worker, options, state);
    Request sales;
    sales.target = "/api/v1/admin/events/" + state.event_id + "/sales";
    sales.bearer = state.admin_token;
    const auto sales_response = co_await worker.call_patiently("sales", sales, deadline);
    if (sales_response.status == 401) {
      throw std::runtime_error(
          "the admin session has expired: pass --admin-email and --admin-password");
    }
    if (sales_response.status != 200) {
      throw std::runtime_error("GET sales: " + text_of(sales_response));
    }
    const auto figures = parse_object(sales_response.body);
    view.sales = Sales{.capacity = integer_at(figures, "capacity"),
                       .sold = integer_at(figures, "sold"),
                       .held = integer_at(figures, "held"),
                       .available = integer_at(figures, "available"),
                       .orders = integer_at(figures, "orders"),
                       .revenue = integer_at(figures, "revenue")};

    Request event;
    event.target = "/api/v1/events/" + state.event_id;
    const auto event_response = co_await worker.call_patiently("event", event, deadline);
    if (event_response.status != 200) {
      throw std::runtime_error("GET event: " + text_of(event_response));
    }
    const auto event_body = parse_object(event_response.body);
    view.event_capacity = integer_at(object_at(event_body, "event"), "capacity");
    view.event_available = integer_at(object_at(event_body, "event"), "available");

    Request seats;
    seats.target = "/api/v1/events/" + state.event_id + "/seats";
    const auto seats_response = co_await worker.call_patiently("seat_map", seats, deadline);
    if (seats_response.status != 200) {
      throw std::runtime_error("GET seats: " + text_of(seats_response));
    }
    const auto seat_body = parse_object(seats_response.body);
    for (const auto& item : array_at(seat_body, "seats")) {
      const auto status = string_at(item.as_object(), "status");
      if (status == "sold") {
        ++view.seat_map.sold;
      } else if (status == "held") {
        ++view.seat_map.held;
      } else if (status == "available") {
        ++view.seat_map.available;
      }
    }
  };
  workers.run(1, read);
  if (workers.crashed_users() > 0) {
    throw std::runtime_error("cannot read the event through the API (see above)");
  }
  return view;
}

void check_api(const ApiView& view, const State& state, Checks& checks) {
  const auto& sales = view.sales;
  checks.expect(sales.capacity == state.capacity,
                "API: sales capacity " + std::to_string(sales.capacity) +
                    " differs from the venue's " + std::to_string(state.capacity));
  checks.expect(sales.sold + sales.held + sales.available == sales.capacity,
                "API: sold " + std::to_string(sales.sold) + " + held " +
                    std::to_string(sales.held) + " + available " + std::to_string(sales.available) +
                    " != capacity " + std::to_string(sales.capacity));
  const auto& map = view.seat_map;
  checks.expect(map.sold + map.held + map.available == state.capacity,
                "API: the seat map has " + std::to_string(map.sold + map.held + map.available) +
                    " seats, not the capacity " + std::to_string(state.capacity));
  checks.expect(map.sold == sales.sold, "API: the seat map shows " + std::to_string(map.sold) +
                                            " sold seats, the sales figures " +
                                            std::to_string(sales.sold));
  checks.expect(view.event_capacity == state.capacity,
                "API: the event's capacity " + std::to_string(view.event_capacity) +
                    " differs from the venue's " + std::to_string(state.capacity));
  checks.expect(view.event_available >= 0 && view.event_available <= view.event_capacity,
                "API: the event says " + std::to_string(view.event_available) +
                    " seats available of " + std::to_string(view.event_capacity));

  // Seen from the clients alone: two 201 answers for one seat is a double sale.
  std::map<std::string, std::string> owner;
  std::int64_t seats = 0;
  std::int64_t revenue = 0;
  std::size_t doubles = 0;
  for (const auto& order : state.confirmed_orders) {
    revenue += order.total;
    for (const auto& seat : order.seats) {
      ++seats;
      const auto [it, fresh] = owner.emplace(seat, order.id);
      if (!fresh) {
        ++doubles;
        checks.violations.push_back("API: seat " + seat + " was sold by two 201 answers: orders " +
                                    it->second + " and " + order.id);
      }
    }
  }
  if (doubles == 0) {
    ++checks.passed;
  }
  checks.expect(sales.sold >= seats, "API: the sales figures count " + std::to_string(sales.sold) +
                                         " sold seats, fewer than the " + std::to_string(seats) +
                                         " in orders answered 201");
  checks.expect(sales.orders >= static_cast<std::int64_t>(state.confirmed_orders.size()),
                "API: the sales figures count " + std::to_string(sales.orders) +
                    " orders, fewer than the " + std::to_string(state.confirmed_orders.size()) +
                    " answered 201");
  checks.expect(sales.revenue >= revenue, "API: revenue " + std::to_string(sales.revenue) +
                                              " is below the " + std::to_string(revenue) +
                                              " of the orders answered 201");
}

// Every order answered 201, read back as the admin: still confirmed, the same seats.
void check_orders_api(Workers& workers, const State& state, std::size_t parallel, Checks& checks) {
  std::vector<std::string> problems(state.confirmed_orders.size());
  std::atomic<std::size_t> next{0};
  auto reader = [&](Worker& worker, std::size_t) -> asio::awaitable<void> {
    const auto deadline = Clock::now() + std::chrono::minutes{5};
    for (auto i = next++; i < state.confirmed_orders.size(); i = next++) {
      const auto& expected = state.confirmed_orders[i];
      Request request;
      request.target = "/api/v1/orders/" + expected.id;
      request.bearer = state.admin_token;
      auto response = co_await worker.call_patiently("order", request, deadline);
      for (int attempt = 0; attempt < 5 && (!response.ok() || response.status >= 500); ++attempt) {
        co_await worker.sleep(worker.backoff(response, attempt));
        response = co_await worker.call_patiently("order", request, deadline);
      }
      if (response.status != 200) {
        problems[i] = "API: order " + expected.id + " (answered 201) reads as " + text_of(response);
        continue;
      }
      const auto body = parse_object(response.body);
      const auto& order = object_at(body, "order");
      std::vector<std::string> seats;
      bool live = true;
      for (const auto& ticket : array_at(order, "tickets")) {
        const auto& fields = ticket.as_object();
        seats.push_back(string_at(object_at(fields, "seat"), "id"));
        live = live && string_at(fields, "status") != "void";
      }
      const auto status = string_at(order, "status");
      if (status != "confirmed" || !live) {
        problems[i] = "API: order " + expected.id + " (answered 201) is " + status +
                      (live ? "" : " with void tickets");
      } else if (seat_list(seats) != seat_list(expected.seats)) {
        problems[i] = "API: order " + expected.id + " has seats [" + seat_list(seats) +
                      "], the 201 answer said [" + seat_list(expected.seats) + "]";
      } else if (integer_at(order, "total") != expected.total) {
        problems[i] = "API: order " + expected.id + " totals " +
                      std::to_string(integer_at(order, "total")) + ", the 201 answer said " +
                      std::to_string(expected.total);
      }
    }
  };
  workers.run(std::max<std::size_t>(1, std::min(parallel, state.confirmed_orders.size())), reader);
  if (workers.crashed_users() > 0) {
    checks.violations.emplace_back("API: some orders could not be read back (see above)");
  }
  for (auto& problem : problems) {
    checks.expect(problem.empty(), problem);
  }
}

std::int64_t to_integer(const std::string& text) {
  return text.empty() ? 0 : std::stoll(text);
}

void check_database(Database& database, const ApiView& view, const State& state, Checks& checks) {
  const std::vector<std::string> event{state.event_id};
  const std::string label = "database: ";

  const auto doubly_sold = database.query(
      "SELECT t.seat_id, COUNT(DISTINCT t.order_id) FROM tickets t "
      "JOIN orders o ON o.id = t.order_id "
      "WHERE t.event_id = ? AND o.status = 'confirmed' "
      "GROUP BY t.seat_id HAVING COUNT(DISTINCT t.order_id) > 1",
      event, 2);
  for (const auto& row : doubly_sold) {
    checks.violations.push_back(label + "seat " + row[0] + " is in " + row[1] +
                                " confirmed orders");
  }
  if (doubly_sold.empty()) {
    ++checks.passed;
  }
  const auto doubly_ticketed = database.query(
      "SELECT seat_id, COUNT(*) FROM tickets WHERE event_id = ? AND status <> 'void' "
      "GROUP BY seat_id HAVING COUNT(*) > 1",
      event, 2);
  for (const auto& row : doubly_ticketed) {
    checks.violations.push_back(label + "seat " + row[0] + " has " + row[1] + " live tickets");
  }
  if (doubly_ticketed.empty()) {
    ++checks.passed;
  }

  struct StoredOrder {
    std::string status;
    std::int64_t total = 0;
    std::vector<std::string> live_seats;
    std::size_t tickets = 0;
  };
  std::map<std::string, StoredOrder> orders;
  for (const auto& row :
       database.query("SELECT id, status, total FROM orders WHERE event_id = ?", event, 3)) {
    orders[row[0]] =
        StoredOrder{.status = row[1], .total = to_integer(row[2]), .live_seats = {}, .tickets = 0};
  }
  std::int64_t live_tickets = 0;
  std::size_t orphans = 0;
  for (const auto& row : database.query(
           "SELECT order_id, seat_id, status FROM tickets WHERE event_id = ?", event, 3)) {
    const bool live = row[2] != "void";
    live_tickets += live ? 1 : 0;
    const auto it = orders.find(row[0]);
    if (it == orders.end()) {
      ++orphans;
      checks.violations.push_back(label + "ticket for seat " + row[1] + " belongs to order " +
                                  row[0] + ", which is not in the orders table");
      continue;
    }
    ++it->second.tickets;
    if (live) {
      it->second.live_seats.push_back(row[1]);
      if (it->second.status != "confirmed") {
        checks.violations.push_back(label + "seat " + row[1] + " has a live ticket of order " +
                                    row[0] + ", which is " + it->second.status);
      }
    }
  }
  if (orphans == 0) {
    ++checks.passed;
  }

  std::int64_t confirmed = 0;
  std::int64_t revenue = 0;
  for (const auto& [id, order] : orders) {
    if (order.status != "confirmed") {
      continue;
    }
    ++confirmed;
    revenue += order.total;
    if (order.live_seats.empty()) {
      std::string violation = label;
      violation.append("confirmed order ").append(id).append(" has no live tickets");
      checks.violations.push_back(std::move(violation));
    } else {
      ++checks.passed;
    }
  }
  for (const auto& expected : state.confirmed_orders) {
    const auto it = orders.find(expected.id);
    if (it == orders.end()) {
      checks.violations.push_back(label + "order " + expected.id +
                                  " was answered 201 but is not in the orders table");
      continue;
    }
    const auto& stored = it->second;
    checks.expect(stored.status == "confirmed",
                  label + "order " + expected.id + " was answered 201 but is " + stored.status);
    checks.expect(seat_list(stored.live_seats) == seat_list(expected.seats),
                  label + "order " + expected.id + " has live tickets for [" +
                      seat_list(stored.live_seats) + "], the 201 answer said [" +
                      seat_list(expected.seats) + "]");
    checks.expect(stored.total == expected.total,
                  label + "order " + expected.id + " totals " + std::to_string(stored.total) +
                      " in the table, the 201 answer said " + std::to_string(expected.total));
  }

  const auto& sales = view.sales;
  checks.expect(sales.sold == live_tickets,
                label + "the sales figures say " + std::to_string(sales.sold) +
                    " sold, the table has " + std::to_string(live_tickets) + " live tickets");
  checks.expect(sales.orders == confirmed,
                label + "the sales figures say " + std::to_string(sales.orders) +
                    " orders, the table has " + std::to_string(confirmed) + " confirmed");
  checks.expect(sales.revenue == revenue,
                label + "the sales figures say revenue " + std::to_string(sales.revenue) +
                    ", the confirmed orders total " + std::to_string(revenue));
}

}  // namespace

int run_verify(const VerifyOptions& options) {
  auto state = load_state(options.state_path);
  Checks checks;
  Workers workers{options.run};
  const auto view = read_api(workers, options, state);
  check_api(view, state, checks);
  check_orders_api(workers, state, options.run.connections, checks);
  std::string database_name = "not checked (no --database-url)";
  if (!options.database_url.empty()) {
    const auto database = open_database(options.database_url);
    database_name = database->description();
    check_database(*database, view, state, checks);
  }

  for (const auto& violation : checks.violations) {
    std::cout << "VIOLATION " << violation << "\n";
  }
  std::cout << "verify: event " << state.event_id << ": capacity " << view.sales.capacity
            << ", sold " << view.sales.sold << ", held " << view.sales.held << ", available "
            << view.sales.available << ", orders " << view.sales.orders << " ("
            << state.confirmed_orders.size() << " answered 201 to runs)\n"
            << "verify: database " << database_name << "\n"
            << "verify: " << checks.passed << " checks passed, " << checks.violations.size()
            << " violations\n";
  if (!options.json_path.empty()) {
    boost::json::array violations;
    for (const auto& violation : checks.violations) {
      violations.emplace_back(violation);
    }
    const boost::json::object report{
        {"command", "verify"},
        {"event_id", state.event_id},
        {"database", database_name},
        {"checks_passed", checks.passed},
        {"violations", std::move(violations)},
        {"sales", boost::json::object{{"capacity", view.sales.capacity},
                                      {"sold", view.sales.sold},
                                      {"held", view.sales.held},
                                      {"available", view.sales.available},
                                      {"orders", view.sales.orders},
                                      {"revenue", view.sales.revenue}}},
    };
    std::ofstream file{options.json_path, std::ios::trunc};
    file << pretty(report);
  }
  return checks.violations.empty() ? 0 : 1;
}

}  // namespace boxoffice::rush
