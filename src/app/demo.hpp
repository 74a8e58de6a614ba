// The quick start's demo data: an admin account a newcomer can log in with at once, and a
// venue with an event on sale, so a first ticket can be bought with curl in a minute.
#pragma once

#include "common/clock.hpp"
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
// every later start prints the same credentials. Adds the demo venue and event when the
// database has no event yet.
boost::asio::awaitable<DemoCredentials> seed_demo(store::Database& database,
                                                  const security::PasswordHasher& hasher,
                                                  const std::filesystem::path& data_dir,
                                                  const Clock& clock);

}  // namespace boxoffice::app
