// Chooses the backends from the configuration: SQLite and in-process stores by default.
#pragma once

#include "app/config.hpp"
#include "common/clock.hpp"
#include "store/database.hpp"
#include "store/rate_limiter.hpp"
#include "store/session_store.hpp"

#include <memory>

namespace boxoffice::app {

std::unique_ptr<store::Database> open_database(const Config& config);

struct SharedStores {
  std::unique_ptr<store::SessionStore> sessions;
  std::unique_ptr<store::RateLimiter> rate_limiter;
};

SharedStores open_shared_stores(const Config& config, const Clock& clock);

}  // namespace boxoffice::app
