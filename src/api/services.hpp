// Everything a handler may use, built once by the application and passed by reference.
#pragma once

#include "common/blocking_pool.hpp"
#include "common/clock.hpp"
#include "http/metrics.hpp"
#include "posters/poster_service.hpp"
#include "sales/availability_history.hpp"
#include "sales/catalog.hpp"
#include "sales/order_service.hpp"
#include "security/password.hpp"
#include "store/database.hpp"
#include "store/inventory_store.hpp"
#include "store/rate_limiter.hpp"
#include "store/session_store.hpp"
#include "store/user_repository.hpp"
#include "tickets/ticket_signer.hpp"

#include <chrono>
#include <functional>

namespace boxoffice::api {

struct LoginThrottle {
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  std::chrono::seconds window{300};
};

struct Services {
  const Clock& clock;
  store::Database& database;
  // The database's users behind a short-lived cache (every signed-in request reads one).
  store::UserRepository& users;
  store::SessionStore& sessions;
  store::RateLimiter& rate_limiter;
  const security::PasswordHasher& password_hasher;
  BlockingPool& password_pool;
  http::Metrics& metrics;
  LoginThrottle login_throttle;
  sales::Catalog& catalog;
  sales::AvailabilityHistory& availability_history;
  store::InventoryStore& inventory;
  sales::OrderService& orders;
  const tickets::TicketSigner& ticket_signer;
  posters::PosterService& posters;
  // True once shutdown began: /readyz then answers 503.
  std::function<bool()> draining;
  // Extra health checks for /readyz, one per shared store, by name.
  std::vector<std::pair<std::string, std::function<boost::asio::awaitable<void>()>>> readiness;
};

}  // namespace boxoffice::api
