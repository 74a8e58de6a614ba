// The HTTP/1.1 side of the load generator: a fixed pool of keep-alive connections per
// worker thread, shared by that thread's many virtual users. A virtual user borrows a
// connection for one exchange and gives it back, so thousands of users can run over a
// few hundred sockets the way browsers behind one edge would.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace boxoffice::rush {

// Where the server is, from a base URL like http://127.0.0.1:8080 (a path prefix is kept).
struct Endpoint {
  std::string host;
  std::string port;
  std::string host_header;
  std::string path_prefix;
};

// Throws std::invalid_argument naming what is wrong.
Endpoint parse_base_url(std::string_view url);

enum class Failure : std::uint8_t { none, timeout, connect, io };

[[nodiscard]] std::string_view to_string(Failure failure) noexcept;

struct Request {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target;  // below the base URL, e.g. /api/v1/events
  std::string body;    // JSON; empty for none
  std::string bearer;  // session token; empty for anonymous
  std::string idempotency_key;
};

struct Response {
  unsigned status = 0;  // 0 when failure is set
  Failure failure = Failure::none;
  std::string error;  // what failed, for samples
  std::string body;
  int retry_after_seconds = -1;  // -1 when absent or unparsable
  std::chrono::nanoseconds latency{0};

  [[nodiscard]] bool ok() const noexcept { return failure == Failure::none; }
  // The contract's error code, from {"error": {"code": ...}}; empty when there is none.
  [[nodiscard]] std::string error_code() const;
};

struct PoolOptions {
  std::size_t connections = 1;
  std::chrono::milliseconds timeout{10'000};
  // Local addresses to bind before connecting, used round-robin; empty: the kernel picks.
  std::vector<boost::asio::ip::address> sources;
  // Global index of this pool's first connection, so that several pools spread evenly
  // over the source addresses.
  std::size_t first_index = 0;
};

class ConnectionPool {
 public:
  ConnectionPool(boost::asio::any_io_executor executor, const Endpoint& endpoint,
                 PoolOptions options);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool();

  // One request and its answer. Never throws for network trouble: it is reported in the
  // Response, as a load generator must count failures rather than stop on them.
  boost::asio::awaitable<Response> send(const Request& request);

  [[nodiscard]] std::uint64_t connects() const noexcept { return connects_; }

 private:
  struct Connection;
  struct Waiter;

  boost::asio::awaitable<std::unique_ptr<Connection>> acquire();
  void release(std::unique_ptr<Connection> connection);
  boost::asio::awaitable<Response> exchange(Connection& connection, const Request& request,
                                            bool& stale);

  boost::asio::any_io_executor executor_;
  Endpoint endpoint_;
  PoolOptions options_;
  std::vector<boost::asio::ip::tcp::endpoint> addresses_;
  std::deque<std::unique_ptr<Connection>> idle_;
  std::deque<Waiter*> waiters_;
  std::uint64_t connects_ = 0;
};

}  // namespace boxoffice::rush
