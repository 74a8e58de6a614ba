// Accounts in MariaDB.
#pragma once

#include "store/mysql/mysql_pool.hpp"
#include "store/user_repository.hpp"

namespace boxoffice::store::mysql {

class MysqlUserRepository final : public UserRepository {
 public:
  explicit MysqlUserRepository(MysqlPool& pool) : pool_(pool) {}

  boost::asio::awaitable<CreateUserResult> create(User user) override;
  boost::asio::awaitable<std::optional<User>> find_by_email(std::string email) override;
  boost::asio::awaitable<std::optional<User>> find_by_id(std::string id) override;

 private:
  MysqlPool& pool_;
};

}  // namespace boxoffice::store::mysql
