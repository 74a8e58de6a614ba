#include "rush/state_file.hpp"

#include "rush/json_util.hpp"

#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace boxoffice::rush {
namespace {

boost::json::array string_array(const std::vector<std::string>& items) {
  boost::json::array array;
  array.reserve(items.size());
  for (const auto& item : items) {
    array.emplace_back(item);
  }
  return array;
}

std::vector<std::string> strings_of(const boost::json::array& array) {
  std::vector<std::string> items;
  items.reserve(array.size());
  for (const auto& item : array) {
    if (item.is_string()) {
      items.emplace_back(item.as_string());
    }
  }
  return items;
}

}  // namespace

State load_state(const std::string& path) {
  std::ifstream file{path};
  if (!file) {
    throw std::runtime_error("cannot read the state file " + path + " (run `setup` first)");
  }
  std::stringstream text;
  text << file.rdbuf();
  try {
    const auto value = boost::json::parse(text.str());
    const auto& root = value.as_object();
    State state;
    state.url = string_at(root, "url");
    state.event_id = string_at(root, "event_id");
    state.venue_id = string_at(root, "venue_id");
    state.currency = string_at(root, "currency");
    state.capacity = integer_at(root, "capacity");
    state.max_tickets_per_order = integer_at(root, "max_tickets_per_order");
    state.categories = strings_of(array_at(root, "categories"));
    const auto& admin = object_at(root, "admin");
    state.admin_email = string_at(admin, "email");
    state.admin_token = string_or_empty(admin, "token");
    for (const auto& item : array_at(root, "accounts")) {
      const auto& account = item.as_object();
      state.accounts.push_back(Account{.email = string_at(account, "email"),
                                       .password = string_at(account, "password"),
                                       .token = string_or_empty(account, "token")});
    }
    if (const auto* orders = root.if_contains("confirmed_orders"); orders != nullptr) {
      for (const auto& item : orders->as_array()) {
        const auto& order = item.as_object();
        state.confirmed_orders.push_back(
            ConfirmedOrder{.id = string_at(order, "id"),
                           .seats = strings_of(array_at(order, "seats")),
                           .total = integer_at(order, "total")});
      }
    }
    return state;
  } catch (const std::exception& error) {
    throw std::runtime_error("the state file " + path + " is broken: " + error.what());
  }
}

void save_state(const std::string& path, const State& state) {
  boost::json::object root;
  root["url"] = state.url;
  root["event_id"] = state.event_id;
  root["venue_id"] = state.venue_id;
  root["currency"] = state.currency;
  root["capacity"] = state.capacity;
  root["max_tickets_per_order"] = state.max_tickets_per_order;
  root["categories"] = string_array(state.categories);
  root["admin"] = boost::json::object{{"email", state.admin_email}, {"token", state.admin_token}};
  boost::json::array accounts;
  accounts.reserve(state.accounts.size());
  for (const auto& account : state.accounts) {
    accounts.push_back(boost::json::object{
        {"email", account.email}, {"password", account.password}, {"token", account.token}});
  }
  root["accounts"] = std::move(accounts);
  boost::json::array orders;
  orders.reserve(state.confirmed_orders.size());
  for (const auto& order : state.confirmed_orders) {
    orders.push_back(boost::json::object{
        {"id", order.id}, {"seats", string_array(order.seats)}, {"total", order.total}});
  }
  root["confirmed_orders"] = std::move(orders);

  const auto temporary = path + ".tmp";
  {
    std::ofstream file{temporary, std::ios::trunc};
    if (!file) {
      throw std::runtime_error("cannot write " + temporary);
    }
    file << pretty(root);
    if (!file.flush()) {
      throw std::runtime_error("cannot write " + temporary);
    }
  }
  namespace fs = std::filesystem;
  fs::permissions(temporary, fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  fs::rename(temporary, path);
}

}  // namespace boxoffice::rush
