#include "app/demo.hpp"

#include "api/accounts.hpp"
#include "common/random.hpp"

#include <fstream>

namespace boxoffice::app {

boost::asio::awaitable<DemoCredentials> seed_demo(store::Database& database,
                                                  const security::PasswordHasher& hasher,
                                                  const std::filesystem::path& data_dir) {
  DemoCredentials credentials{.email = "admin@boxoffice.local", .password = {}};
  const auto password_file = data_dir / "demo-admin-password";
  if (std::ifstream existing{password_file}; existing) {
    std::getline(existing, credentials.password);
  }
  if (credentials.password.size() < api::password_min_chars) {
    credentials.password = "demo-" + random_hex(8);
    std::filesystem::create_directories(data_dir);
    {
      std::ofstream out{password_file, std::ios::trunc};
      out << credentials.password << '\n';
    }
    std::filesystem::permissions(
        password_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  if (!co_await database.users().find_by_email(credentials.email)) {
    auto user = api::new_user(credentials.email, "Demo Admin", store::Role::admin,
                              hasher.hash(credentials.password), std::chrono::system_clock::now());
    co_await database.users().create(std::move(user));
  }
  co_return credentials;
}

}  // namespace boxoffice::app
