// What `setup` made, for the other commands: the event, the accounts with their passwords
// and session tokens, and the orders that runs were told are confirmed (for `verify`).
// The accounts are throwaway test customers; the file is still written readable by its
// owner only, since the admin's session token is in it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace boxoffice::rush {

struct Account {
  std::string email;
  std::string password;
  std::string token;
};

struct ConfirmedOrder {
  std::string id;
  std::vector<std::string> seats;
  std::int64_t total = 0;
};

struct State {
  std::string url;
  std::string event_id;
  std::string venue_id;
  std::string currency;
  std::int64_t capacity = 0;
  std::int64_t max_tickets_per_order = 8;
  std::vector<std::string> categories;
  std::string admin_email;
  std::string admin_token;
  std::vector<Account> accounts;
  // Every order answered 201 by any run on this event, appended run after run.
  std::vector<ConfirmedOrder> confirmed_orders;
};

// Throws std::runtime_error naming the file and what is wrong with it.
State load_state(const std::string& path);
// Writes a sibling temporary file and renames it over `path`, so that a reader never sees
// half a file.
void save_state(const std::string& path, const State& state);

}  // namespace boxoffice::rush
