#include "app/users_command.hpp"

#include "api/accounts.hpp"
#include "app/stores.hpp"
#include "security/password.hpp"

#include "api/json_fields.hpp"
#include "common/run_sync.hpp"

#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <future>
#include <istream>
#include <ostream>

namespace boxoffice::app {
int add_user(const Config& config, const AddUserRequest& request, std::istream& input,
             std::ostream& output, std::ostream& errors) {
  const auto role = store::parse_role(request.role);
  if (!role) {
    errors << "--role must be admin, staff or customer\n";
    return 2;
  }
  auto email = api::normalize_email(request.email);
  if (!api::is_valid_email(email)) {
    errors << "--email is not a valid address\n";
    return 2;
  }
  if (request.name.empty() || api::utf8_length(request.name) > api::name_max_chars) {
    errors << "--name must be 1 to " << api::name_max_chars << " characters\n";
    return 2;
  }
  std::string password;
  // The command line runs single-threaded here.
  if (const char* from_environment =
          std::getenv("BOXOFFICE_PASSWORD")) {  // NOLINT(concurrency-mt-unsafe)
    password = from_environment;
  } else {
    std::getline(input, password);
  }
  if (auto problem = api::password_problem(password)) {
    errors << *problem << '\n';
    return 2;
  }

  auto database = open_database(config);
  database->migrate();
  const security::PasswordHasher hasher{
      config.password_hash_minimum ? security::HashCost::minimum : security::HashCost::interactive};
  auto user = api::new_user(std::move(email), request.name, *role, hasher.hash(password),
                            std::chrono::system_clock::now());
  if (run_sync(database->users().create(user)) == store::CreateUserResult::email_taken) {
    errors << "an account with email " << user.email << " already exists\n";
    return 1;
  }
  output << boost::json::serialize(boost::json::object{{"id", user.id},
                                                       {"email", user.email},
                                                       {"name", user.name},
                                                       {"role", store::to_string(user.role)}})
         << '\n';
  return 0;
}

}  // namespace boxoffice::app
