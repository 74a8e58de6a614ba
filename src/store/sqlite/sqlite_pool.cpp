#include "store/sqlite/sqlite_pool.hpp"

namespace boxoffice::store::sqlite {

SqlitePool::SqlitePool(const std::string& path, std::size_t size) : threads_("sqlite", size) {
  for (std::size_t i = 0; i < size; ++i) {
    connections_.push_back(std::make_unique<Connection>(path));
    idle_.push_back(connections_.back().get());
  }
}

SqlitePool::Lease::Lease(SqlitePool& owner) : pool(owner) {
  std::unique_lock lock{pool.mutex_};
  pool.released_.wait(lock, [this] { return !pool.idle_.empty(); });
  connection = pool.idle_.back();
  pool.idle_.pop_back();
}

SqlitePool::Lease::~Lease() {
  {
    std::scoped_lock lock{pool.mutex_};
    pool.idle_.push_back(connection);
  }
  pool.released_.notify_one();
}

}  // namespace boxoffice::store::sqlite
