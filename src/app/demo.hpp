// The quick start's demo data: an admin account a newcomer can log in with at once.
#pragma once

#include "security/password.hpp"
#include "store/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <filesystem>
#include <string>

namespace boxoffice::app {

struct DemoCredentials {
  std::string email;
  std::string password;
};

// Creates the demo admin once; its random password is kept in `data_dir` (mode 0600) so
// every later start prints the same credentials.
boost::asio::awaitable<DemoCredentials> seed_demo(store::Database& database,
                                                  const security::PasswordHasher& hasher,
                                                  const std::filesystem::path& data_dir);

}  // namespace boxoffice::app
