// Failures of a backing store that are nobody's fault in the request: the database or
// Redis cannot be reached in time.
#pragma once

#include "common/backend_unavailable.hpp"

namespace boxoffice::store {

using StoreUnavailable = BackendUnavailable;

}  // namespace boxoffice::store
