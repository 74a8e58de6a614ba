#include "app/stores.hpp"

#include "http/access_log.hpp"
#include "store/cached_counts.hpp"
#include "store/memory/memory_inventory_store.hpp"
#include "store/memory/memory_rate_limiter.hpp"
#include "store/memory/memory_session_store.hpp"
#include "store/mysql/mysql_database.hpp"
#include "store/redis/redis_client.hpp"
#include "store/redis/redis_inventory_store.hpp"
#include "store/redis/redis_rate_limiter.hpp"
#include "store/redis/redis_session_store.hpp"
#include "store/sqlite/sqlite_database.hpp"

#include <filesystem>

namespace boxoffice::app {

SharedStores::SharedStores() = default;
SharedStores::SharedStores(SharedStores&&) noexcept = default;
SharedStores& SharedStores::operator=(SharedStores&&) noexcept = default;
SharedStores::~SharedStores() {
  // The stores use the client: they go first.
  inventory.reset();
  rate_limiter.reset();
  sessions.reset();
  redis.reset();
}

std::unique_ptr<store::Database> open_database(const Config& config) {
  const std::string_view url = config.database_url;
  try {
    if (url.starts_with("sqlite:")) {
      const std::filesystem::path path{std::string{url.substr(std::string_view{"sqlite:"}.size())}};
      if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path());
      }
      return std::make_unique<store::sqlite::SqliteDatabase>(path.string(),
                                                             config.database_threads);
    }
    return std::make_unique<store::mysql::MysqlDatabase>(
        config.database_url, config.database_threads, config.database_commit_batch);
  } catch (const std::exception& error) {
    throw ConfigError(std::string{"BOXOFFICE_DATABASE_URL: "} + error.what());
  }
}

SharedStores open_shared_stores(const Config& config, const Clock& clock,
                                store::SoldSeatsLoader load_sold_seats) {
  SharedStores stores;
  if (!config.redis_url) {
    // Bounds memory: far above what one embedded instance serves.
    constexpr std::size_t max_sessions = 1'000'000;
    constexpr std::size_t max_throttle_keys = 100'000;
    stores.sessions =
        std::make_unique<store::MemorySessionStore>(clock, config.session_ttl, max_sessions);
    stores.rate_limiter = std::make_unique<store::MemoryRateLimiter>(clock, max_throttle_keys);
    stores.inventory =
        std::make_unique<store::MemoryInventoryStore>(clock, std::move(load_sold_seats));
    return stores;
  }
  try {
    store::redis::RedisOptions options;
    options.url = *config.redis_url;
    options.log = [](const std::string& message) {
      http::log_event(spdlog::level::warn, "redis", {{"event", message}});
    };
    stores.redis = std::make_unique<store::redis::RedisClient>(std::move(options));
  } catch (const std::exception& error) {
    throw ConfigError(std::string{"BOXOFFICE_REDIS_URL: "} + error.what());
  }
  auto& client = *stores.redis;
  stores.sessions = std::make_unique<store::redis::RedisSessionStore>(client, config.session_ttl);
  stores.rate_limiter = std::make_unique<store::redis::RedisRateLimiter>(client);
  // As long as a snapshot of the seat map is reused (sales::AvailabilityHistoryLimits).
  constexpr std::chrono::milliseconds counts_kept_for{250};
  stores.inventory =
      std::make_unique<store::CachedCounts>(std::make_unique<store::redis::RedisInventoryStore>(
                                                client, clock, std::move(load_sold_seats)),
                                            clock, counts_kept_for);
  stores.ping = [&client] { return client.ping(); };
  return stores;
}

}  // namespace boxoffice::app
