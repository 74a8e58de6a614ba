// `verify`: after a run, checks the promises of the contract through the API and, with
// --database-url, in the database of record itself. Prints every violation; non-zero exit
// when there is any.
#pragma once

#include "rush/workers.hpp"

#include <string>

namespace boxoffice::rush {

struct VerifyOptions {
  RunOptions run;
  std::string state_path;
  std::string json_path;
  std::string database_url;
  // Only needed when the admin session in the state file has expired.
  std::string admin_email;
  std::string admin_password;
};

int run_verify(const VerifyOptions& options);

}  // namespace boxoffice::rush
