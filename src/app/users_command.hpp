// `boxoffice users add`: makes staff and admin accounts, which sign-up never does.
#pragma once

#include "app/config.hpp"

#include <iosfwd>
#include <string>

namespace boxoffice::app {

struct AddUserRequest {
  std::string email;
  std::string name;
  std::string role;
};

// Reads the password from BOXOFFICE_PASSWORD, else the first line of `input`.
// Returns the process exit code; explains failures on `errors`.
int add_user(const Config& config, const AddUserRequest& request, std::istream& input,
             std::ostream& output, std::ostream& errors);

}  // namespace boxoffice::app
