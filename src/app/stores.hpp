// Chooses the backends from the configuration: SQLite and in-process stores by default;
// MariaDB (BOXOFFICE_DATABASE_URL=mysql://...) and Redis (BOXOFFICE_REDIS_URL) for a
// cluster of stateless instances.
#pragma once

#include "app/config.hpp"
#include "common/clock.hpp"
#include "store/database.hpp"
#include "store/inventory_store.hpp"
#include "store/rate_limiter.hpp"
#include "store/session_store.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>

namespace boxoffice::store::redis {
class RedisClient;
}

namespace boxoffice::app {

std::unique_ptr<store::Database> open_database(const Config& config);

// The stores shared by every instance (in-process when there is only one).
struct SharedStores {
  SharedStores();
  SharedStores(SharedStores&&) noexcept;
  SharedStores& operator=(SharedStores&&) noexcept;
  ~SharedStores();

  std::unique_ptr<store::redis::RedisClient> redis;
  std::unique_ptr<store::SessionStore> sessions;
  std::unique_ptr<store::RateLimiter> rate_limiter;
  std::unique_ptr<store::InventoryStore> inventory;
  // Readiness probe of the shared store, when it is a separate server.
  std::function<boost::asio::awaitable<void>()> ping;
};

SharedStores open_shared_stores(const Config& config, const Clock& clock,
                                store::SoldSeatsLoader load_sold_seats);

}  // namespace boxoffice::app
