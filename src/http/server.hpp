// The HTTP/1.1 server: accepts connections, reads requests with a deadline on every
// step, enforces the connection and in-flight limits, and drains gracefully on shutdown.
#pragma once

#include "http/client_address.hpp"
#include "http/event_loops.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_set>

namespace boxoffice::http {

struct ServerLimits {
  std::size_t max_connections = 10000;
  std::size_t max_inflight = 512;
  // From the first byte of a request to the end of its headers (slow-loris bound).
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  // How long a keep-alive connection may sit between requests.
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds write_timeout{10000};
  // On shutdown: keep accepting this long while /readyz says 503, so load balancers
  // stop sending before the listener closes.
  std::chrono::milliseconds shutdown_delay{0};
  std::chrono::milliseconds shutdown_timeout{10000};
  std::uint64_t body_limit_bytes = std::uint64_t{1024} * 1024;
  // For routes that take an image (poster uploads).
  std::uint64_t image_body_limit_bytes = std::uint64_t{20} * 1024 * 1024;
  std::uint32_t header_limit_bytes = std::uint32_t{16} * 1024;
  std::size_t header_count_limit = 100;
  std::size_t target_limit_bytes = std::size_t{8} * 1024;
};

class Server {
 public:
  // Listens on the primary loop and spreads connections over all of `loops`.
  Server(EventLoops& loops, const boost::asio::ip::tcp::endpoint& endpoint, ServerLimits limits,
         TrustedProxies proxies, const Router& router, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;
  void start();
  // Reports not ready, stops accepting, lets in-flight requests finish until the
  // deadline, then calls `on_stopped` (on a server thread).
  void shutdown(std::function<void()> on_stopped);
  [[nodiscard]] bool draining() const { return draining_.load(); }

 private:
  struct Connection;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
  boost::asio::awaitable<void> serve_requests(Connection& connection);
  boost::asio::awaitable<void> reject(std::shared_ptr<Connection> connection);
  boost::asio::awaitable<void> drain(std::function<void()> on_stopped);
  boost::asio::awaitable<Response> handle(Request& request);
  void close_idle_connections();

  EventLoops& loops_;
  boost::asio::strand<boost::asio::io_context::executor_type> acceptor_strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  ServerLimits limits_;
  TrustedProxies proxies_;
  const Router& router_;
  Metrics& metrics_;
  std::atomic<bool> draining_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> inflight_{0};
  std::mutex connections_mutex_;
  std::unordered_set<std::shared_ptr<Connection>> connections_;
};

}  // namespace boxoffice::http
