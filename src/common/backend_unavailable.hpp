// A backing service (database, Redis, payment provider) cannot answer in time: nobody's
// fault in the request. The HTTP layer turns it into a quick 503 with Retry-After instead
// of hanging or answering 500.
#pragma once

#include <stdexcept>

namespace boxoffice {

class BackendUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace boxoffice
