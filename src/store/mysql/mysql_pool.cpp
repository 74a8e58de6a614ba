// The connection pool: as many connections as database threads, so a thread never waits
// for a connection for long and the server sees a bounded number of clients.
#include "store/mysql/mysql_pool.hpp"

namespace boxoffice::store::mysql {

MysqlPool::MysqlPool(const ConnectionSettings& settings, std::size_t size, RetryPolicy policy)
    : policy_(policy), threads_("mysql", size) {
  if (size == 0) {
    throw std::invalid_argument("mysql: the pool needs at least one connection");
  }
  for (std::size_t i = 0; i < size; ++i) {
    connections_.push_back(std::make_unique<Connection>(settings));
    idle_.push_back(connections_.back().get());
  }
}

MysqlPool::Lease::Lease(MysqlPool& owner) : pool(owner) {
  std::unique_lock lock{pool.mutex_};
  pool.released_.wait(lock, [this] { return !pool.idle_.empty(); });
  connection = pool.idle_.back();
  pool.idle_.pop_back();
}

MysqlPool::Lease::~Lease() {
  {
    std::scoped_lock lock{pool.mutex_};
    pool.idle_.push_back(connection);
  }
  pool.released_.notify_one();
}

}  // namespace boxoffice::store::mysql
