// Accounts in SQLite.
#pragma once

#include "store/sqlite/sqlite_pool.hpp"
#include "store/user_repository.hpp"

namespace boxoffice::store::sqlite {

class SqliteUserRepository final : public UserRepository {
 public:
  explicit SqliteUserRepository(SqlitePool& pool) : pool_(pool) {}

  boost::asio::awaitable<CreateUserResult> create(User user) override;
  boost::asio::awaitable<std::optional<User>> find_by_email(std::string email) override;
  boost::asio::awaitable<std::optional<User>> find_by_id(std::string id) override;

 private:
  SqlitePool& pool_;
};

}  // namespace boxoffice::store::sqlite
