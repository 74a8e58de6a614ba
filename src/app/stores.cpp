#include "app/stores.hpp"

#include "store/memory/memory_rate_limiter.hpp"
#include "store/memory/memory_session_store.hpp"
#include "store/sqlite/sqlite_database.hpp"

#include <filesystem>

namespace boxoffice::app {

std::unique_ptr<store::Database> open_database(const Config& config) {
  const std::string_view url = config.database_url;
  if (url.starts_with("sqlite:")) {
    const std::filesystem::path path{std::string{url.substr(std::string_view{"sqlite:"}.size())}};
    try {
      if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path());
      }
      return std::make_unique<store::sqlite::SqliteDatabase>(path.string(),
                                                             config.database_threads);
    } catch (const std::exception& error) {
      throw ConfigError(std::string{"BOXOFFICE_DATABASE_URL: "} + error.what());
    }
  }
  throw ConfigError("BOXOFFICE_DATABASE_URL: the mysql backend is not available in this build");
}

SharedStores open_shared_stores(const Config& config, const Clock& clock) {
  if (config.redis_url) {
    throw ConfigError("BOXOFFICE_REDIS_URL: the redis backend is not available in this build");
  }
  // Bounds memory: far above what one embedded instance serves.
  constexpr std::size_t max_sessions = 1'000'000;
  constexpr std::size_t max_throttle_keys = 100'000;
  return SharedStores{
      std::make_unique<store::MemorySessionStore>(clock, config.session_ttl, max_sessions),
      std::make_unique<store::MemoryRateLimiter>(clock, max_throttle_keys),
  };
}

}  // namespace boxoffice::app
