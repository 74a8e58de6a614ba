// Accounts in MariaDB: the same statements and answers as the SQLite repository, plus what
// a retried insert needs to recognise its own earlier success.
#include "store/mysql/mysql_user_repository.hpp"

#include "common/time_format.hpp"

namespace boxoffice::store::mysql {
namespace {

constexpr std::string_view select_user =
    "SELECT id, email, name, role, password_hash, created_at FROM users ";

User read_user(const Statement& row) {
  return User{
      .id = row.text(0),
      .email = row.text(1),
      .name = row.text(2),
      .role = parse_role(row.text(3)).value_or(Role::customer),
      .password_hash = row.text(4),
      .created_at = from_unix_seconds(row.integer(5)),
  };
}

std::optional<User> find_one(Connection& connection, std::string_view where,
                             const std::string& value) {
  auto query = connection.prepare(std::string{select_user} + std::string{where});
  query.bind(1, value);
  if (!query.step()) {
    return std::nullopt;
  }
  return read_user(query);
}

}  // namespace

boost::asio::awaitable<CreateUserResult> MysqlUserRepository::create(User user) {
  auto insert = [user = std::move(user)](Connection& connection, const Attempt& attempt) {
    try {
      connection
          .prepare(
              "INSERT INTO users (id, email, name, role, password_hash, created_at) "
              "VALUES (?, ?, ?, ?, ?, ?)")
          .bind(1, user.id)
          .bind(2, user.email)
          .bind(3, user.name)
          .bind(4, to_string(user.role))
          .bind(5, user.password_hash)
          .bind(6, to_unix_seconds(user.created_at))
          .run();
    } catch (const MysqlError& error) {
      if (!error.is_constraint()) {
        throw;
      }
      // A try whose commit answer was lost may have created this very row; the id is
      // 128 random bits, so a row with it and this email is ours.
      if (attempt.earlier_outcome_unknown) {
        auto mine = find_one(connection, "WHERE id = ?", user.id);
        if (mine && mine->email == user.email) {
          return CreateUserResult::created;
        }
      }
      return CreateUserResult::email_taken;
    }
    return CreateUserResult::created;
  };
  co_return co_await pool_.run(std::move(insert));
}

boost::asio::awaitable<std::optional<User>> MysqlUserRepository::find_by_email(std::string email) {
  auto query = [email = std::move(email)](Connection& connection, const Attempt&) {
    return find_one(connection, "WHERE email = ?", email);
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<std::optional<User>> MysqlUserRepository::find_by_id(std::string id) {
  auto query = [id = std::move(id)](Connection& connection, const Attempt&) {
    return find_one(connection, "WHERE id = ?", id);
  };
  co_return co_await pool_.run(std::move(query));
}

}  // namespace boxoffice::store::mysql
