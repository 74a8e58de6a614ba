// Every signed-in request needs the user behind its session (role, name). At an on-sale
// rush that lookup would be the database's busiest query by far, yet a user record
// changes rarely (accounts are created, not edited, and roles come from the command
// line). So each instance keeps recent users for a short while: a role taken away in
// the database takes effect within `ttl` on every instance.
#pragma once

#include "store/user_repository.hpp"

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace boxoffice::store {

class CachedUsers final : public UserRepository {
 public:
  // `ttl` 0 turns the cache off. `capacity` bounds memory: when full, the cache starts
  // over (cheaper than tracking recency, and a rush refills it in a moment).
  CachedUsers(UserRepository& users, std::chrono::milliseconds ttl, std::size_t capacity = 200'000)
      : users_(users), ttl_(ttl), capacity_(capacity) {}

  boost::asio::awaitable<CreateUserResult> create(User user) override;
  boost::asio::awaitable<std::optional<User>> find_by_email(std::string email) override;
  boost::asio::awaitable<std::optional<User>> find_by_id(std::string id) override;

 private:
  struct Entry {
    User user;
    std::chrono::steady_clock::time_point fetched;
  };

  std::optional<User> fresh(const std::string& id);
  void keep(const User& user);

  UserRepository& users_;
  std::chrono::milliseconds ttl_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> by_id_;
};

}  // namespace boxoffice::store
