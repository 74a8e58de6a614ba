// Where accounts live: the database of record on every backend.
#pragma once

#include "store/user.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace boxoffice::store {

enum class CreateUserResult { created, email_taken };

class UserRepository {
 public:
  virtual ~UserRepository() = default;

  virtual boost::asio::awaitable<CreateUserResult> create(User user) = 0;
  virtual boost::asio::awaitable<std::optional<User>> find_by_email(std::string email) = 0;
  virtual boost::asio::awaitable<std::optional<User>> find_by_id(std::string id) = 0;
};

}  // namespace boxoffice::store
