#include "store/cached_users.hpp"

namespace boxoffice::store {

boost::asio::awaitable<CreateUserResult> CachedUsers::create(User user) {
  co_return co_await users_.create(std::move(user));
}

boost::asio::awaitable<std::optional<User>> CachedUsers::find_by_email(std::string email) {
  // Log-in checks the password against the stored hash: always the database's copy.
  co_return co_await users_.find_by_email(std::move(email));
}

boost::asio::awaitable<std::optional<User>> CachedUsers::find_by_id(std::string id) {
  if (auto cached = fresh(id)) {
    co_return cached;
  }
  auto found = co_await users_.find_by_id(std::move(id));
  // Unknown ids are not kept: they are rare (a deleted account) and must not fill memory.
  if (found) {
    keep(*found);
  }
  co_return found;
}

std::optional<User> CachedUsers::fresh(const std::string& id) {
  if (ttl_.count() == 0) {
    return std::nullopt;
  }
  std::scoped_lock lock{mutex_};
  const auto it = by_id_.find(id);
  if (it == by_id_.end() || std::chrono::steady_clock::now() - it->second.fetched > ttl_) {
    return std::nullopt;
  }
  return it->second.user;
}

void CachedUsers::keep(const User& user) {
  if (ttl_.count() == 0) {
    return;
  }
  std::scoped_lock lock{mutex_};
  if (by_id_.size() >= capacity_) {
    by_id_.clear();
  }
  by_id_.insert_or_assign(user.id, Entry{user, std::chrono::steady_clock::now()});
}

}  // namespace boxoffice::store
