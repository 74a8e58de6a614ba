#include "http/server.hpp"

#include "common/random.hpp"
#include "http/access_log.hpp"
#include "http/response.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace boxoffice::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using asio::use_awaitable;
constexpr auto no_throw = asio::as_tuple(use_awaitable);

// One client connection. Every read and write runs under a deadline: when the timer
// fires it cancels the socket's operations (without closing it), so the coroutine can
// still answer 408 before it closes.
struct Server::Connection : std::enable_shared_from_this<Server::Connection> {
  explicit Connection(tcp::socket accepted)
      : socket(std::move(accepted)), timer(socket.get_executor()) {}

  void arm(std::chrono::milliseconds timeout) {
    timed_out = false;
    timer.expires_after(timeout);
    timer.async_wait([weak = weak_from_this()](boost::system::error_code error) {
      if (error) {
        return;
      }
      if (auto self = weak.lock()) {
        self->timed_out = true;
        boost::system::error_code ignored;
        self->socket.cancel(ignored);
      }
    });
  }

  void close() {
    timer.cancel();
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  tcp::socket socket;
  asio::steady_timer timer;
  // A bound on bytes read ahead of the parser, not on the request: headers are bounded by
  // the parser's header limit, bodies stream through into the body limit.
  boost::beast::flat_buffer buffer{std::size_t{64} * 1024};
  bool timed_out = false;
  // Waiting for the next request: the only state in which shutdown may cut it off.
  bool idle = false;
};

namespace {

std::string sanitize_request_id(std::string_view incoming) {
  if (incoming.empty() || incoming.size() > 128) {
    return random_hex(12);
  }
  for (char c : incoming) {
    // Printable ASCII without spaces: safe in a header and, escaped, in a JSON log line.
    const bool allowed = c > 0x20 && c < 0x7f;
    if (!allowed) {
      return random_hex(12);
    }
  }
  return std::string{incoming};
}

// The answer for a request that could not be read; nullopt when the client is gone.
std::optional<ApiError> read_failure(const boost::system::error_code& error, bool timed_out) {
  namespace beast_error = boost::beast::http;
  if (timed_out) {
    return ApiError{408, "request_timeout", "the request was not received in time"};
  }
  if (error == beast_error::error::end_of_stream || error == beast_error::error::partial_message ||
      error.category() != beast_error::make_error_code(beast_error::error::bad_method).category()) {
    return std::nullopt;
  }
  if (error == beast_error::error::header_limit) {
    return ApiError{431, "headers_too_large", "the request headers are too large"};
  }
  if (error == beast_error::error::body_limit) {
    return ApiError{413, "payload_too_large", "the request body is larger than allowed"};
  }
  return errors::invalid_request("the HTTP request is malformed");
}

// RFC 9112: an HTTP/1.1 request has exactly one Host header. Also bounds the number of
// header fields, which the size limit alone does not.
std::optional<ApiError> header_problem(const boost::beast::http::request_header<>& header,
                                       std::size_t count_limit) {
  std::size_t fields = 0;
  std::size_t hosts = 0;
  for (const auto& field : header) {
    ++fields;
    if (field.name() == boost::beast::http::field::host) {
      ++hosts;
    }
  }
  if (fields > count_limit) {
    return ApiError{431, "headers_too_large", "the request has too many header fields"};
  }
  if ((header.version() >= 11 && hosts != 1) || hosts > 1) {
    return errors::invalid_request("an HTTP/1.1 request needs exactly one Host header");
  }
  return std::nullopt;
}

}  // namespace

Server::Server(EventLoops& loops, const tcp::endpoint& endpoint, ServerLimits limits,
               TrustedProxies proxies, const Router& router, Metrics& metrics)
    : loops_(loops),
      acceptor_strand_(asio::make_strand(loops.primary())),
      acceptor_(acceptor_strand_),
      limits_(limits),
      proxies_(std::move(proxies)),
      router_(router),
      metrics_(metrics) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

Server::~Server() = default;

tcp::endpoint Server::local_endpoint() const {
  return acceptor_.local_endpoint();
}

void Server::start() {
  asio::co_spawn(acceptor_strand_, accept_loop(), asio::detached);
}

asio::awaitable<void> Server::accept_loop() {
  asio::steady_timer backoff{acceptor_strand_};
  while (!stopping_) {
    auto [error, socket] = co_await acceptor_.async_accept(loops_.next(), no_throw);
    if (error) {
      if (stopping_ || error == asio::error::operation_aborted) {
        break;
      }
      // Out of file descriptors or similar: pause instead of spinning on the error.
      log_event(spdlog::level::warn, "accept failed", {{"error", error.message()}});
      backoff.expires_after(std::chrono::milliseconds{50});
      co_await backoff.async_wait(no_throw);
      continue;
    }
    auto connection = std::make_shared<Connection>(std::move(socket));
    const auto executor = connection->socket.get_executor();
    std::size_t open_connections = 0;
    {
      std::scoped_lock lock{connections_mutex_};
      open_connections = connections_.size();
      if (open_connections < limits_.max_connections) {
        connections_.insert(connection);
      }
    }
    if (open_connections >= limits_.max_connections) {
      metrics_.rejected_for_overload();
      asio::co_spawn(executor, reject(std::move(connection)), asio::detached);
    } else {
      asio::co_spawn(executor, serve(std::move(connection)), asio::detached);
    }
  }
}

asio::awaitable<void> Server::reject(std::shared_ptr<Connection> connection) {
  auto response = error_response(errors::overloaded(1));
  response.keep_alive(false);
  connection->arm(std::chrono::milliseconds{1000});
  auto [write_error, written] =
      co_await boost::beast::http::async_write(connection->socket, response, no_throw);
  if (!write_error) {
    // Half-close and drain briefly, so the client reads the 503 instead of a reset.
    boost::system::error_code ignored;
    connection->socket.shutdown(tcp::socket::shutdown_send, ignored);
    std::array<char, 1024> sink{};
    for (int reads = 0; reads < 16; ++reads) {
      auto [read_error, n] =
          co_await connection->socket.async_read_some(asio::buffer(sink), no_throw);
      if (read_error) {
        break;
      }
    }
  }
  connection->close();
}

asio::awaitable<void> Server::serve(std::shared_ptr<Connection> connection) {
  try {
    co_await serve_requests(*connection);
  } catch (const std::exception& error) {
    log_event(spdlog::level::err, "connection failed", {{"error", error.what()}});
  }
  connection->close();
  std::scoped_lock lock{connections_mutex_};
  connections_.erase(connection);
}

asio::awaitable<void> Server::serve_requests(Connection& connection) {
  namespace beast_http = boost::beast::http;
  bool first_request = true;
  while (true) {
    if (connection.buffer.size() == 0) {
      connection.idle = true;
      if (stopping_) {
        co_return;
      }
      connection.arm(first_request ? limits_.header_timeout : limits_.idle_timeout);
      auto [error, n] =
          co_await connection.socket.async_read_some(connection.buffer.prepare(4096), no_throw);
      connection.idle = false;
      if (error) {
        co_return;
      }
      connection.buffer.commit(n);
    }
    first_request = false;

    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(limits_.header_limit_bytes);
    // Beast checks a Content-Length against the limit while reading the header, before the
    // route is known: read it with the largest limit any route has, then apply the route's.
    parser.body_limit(std::max(limits_.body_limit_bytes, limits_.image_body_limit_bytes));
    Request request;
    request.received_at = std::chrono::steady_clock::now();

    auto answer_failure = [&](const ApiError& failure) -> asio::awaitable<void> {
      auto response = error_response(failure);
      response.keep_alive(false);
      request.route = "unreadable";
      request.request_id = random_hex(12);
      response.set("X-Request-Id", request.request_id);
      connection.arm(limits_.write_timeout);
      co_await beast_http::async_write(connection.socket, response, no_throw);
      metrics_.observe_request(request.route, response.result_int(),
                               std::chrono::steady_clock::now() - request.received_at);
      log_request(request, response.result_int(),
                  std::chrono::steady_clock::now() - request.received_at);
    };

    connection.arm(limits_.header_timeout);
    auto [header_error, header_bytes] = co_await beast_http::async_read_header(
        connection.socket, connection.buffer, parser, no_throw);
    if (header_error) {
      if (auto failure = read_failure(header_error, connection.timed_out)) {
        co_await answer_failure(*failure);
      }
      co_return;
    }
    if (auto problem = header_problem(parser.get(), limits_.header_count_limit)) {
      co_await answer_failure(*problem);
      co_return;
    }
    const auto body_limit = router_.takes_image(parser.get().method(), parser.get().target())
                                ? limits_.image_body_limit_bytes
                                : limits_.body_limit_bytes;
    if (const auto length = parser.content_length(); length && *length > body_limit) {
      co_await answer_failure(*read_failure(boost::beast::http::error::body_limit, false));
      co_return;
    }
    // Chunked bodies are counted against it as they arrive.
    parser.body_limit(body_limit);
    if (parser.get()[beast_http::field::expect] == "100-continue" && !parser.is_done()) {
      static constexpr std::string_view proceed = "HTTP/1.1 100 Continue\r\n\r\n";
      connection.arm(limits_.write_timeout);
      auto [continue_error, continue_bytes] =
          co_await asio::async_write(connection.socket, asio::buffer(proceed), no_throw);
      if (continue_error) {
        co_return;
      }
    }
    if (!parser.is_done()) {
      connection.arm(limits_.body_timeout);
      auto [body_error, body_bytes] =
          co_await beast_http::async_read(connection.socket, connection.buffer, parser, no_throw);
      if (body_error) {
        if (auto failure = read_failure(body_error, connection.timed_out)) {
          co_await answer_failure(*failure);
        }
        co_return;
      }
    }
    connection.timer.cancel();

    request.message = parser.release();
    boost::system::error_code peer_error;
    const auto peer = connection.socket.remote_endpoint(peer_error);
    const auto peer_address = peer_error ? std::string{} : peer.address().to_string();
    request.client_address =
        proxies_.client_address(peer_address, request.joined_header("X-Forwarded-For"));
    request.secure =
        proxies_.trusts(peer_address) && request.header("X-Forwarded-Proto") == "https";
    request.request_id = sanitize_request_id(request.header("X-Request-Id"));

    auto response = co_await handle(request);
    if (request.method() == beast_http::verb::head) {
      // A HEAD answer is the GET answer's headers, Content-Length included, and no body,
      // whatever the handler (or an error) produced.
      const auto size = response.body().size();
      response.body().clear();
      response.content_length(size);
    }

    const bool keep_alive = request.message.keep_alive() && !stopping_;
    response.keep_alive(keep_alive);
    connection.arm(limits_.write_timeout);
    auto [write_error, written] =
        co_await beast_http::async_write(connection.socket, response, no_throw);
    if (write_error || !keep_alive) {
      co_return;
    }
  }
}

asio::awaitable<Response> Server::handle(Request& request) {
  Response response;
  if (request.message.target().size() > limits_.target_limit_bytes) {
    request.route = "unreadable";
    response = error_response(ApiError{414, "uri_too_long", "the request target is too long"});
  } else if (inflight_.fetch_add(1) >= limits_.max_inflight) {
    inflight_.fetch_sub(1);
    metrics_.rejected_for_overload();
    request.route = "overloaded";
    response = error_response(errors::overloaded(1));
  } else {
    metrics_.request_started();
    try {
      response = co_await router_.dispatch(request);
    } catch (const std::exception& error) {
      log_event(spdlog::level::err, "unhandled error",
                {{"request_id", request.request_id}, {"error", error.what()}});
      response = error_response(ApiError{500, "internal", "something went wrong on our side"});
    }
    metrics_.request_finished();
    inflight_.fetch_sub(1);
  }
  response.set("X-Request-Id", request.request_id);
  if (response.find(boost::beast::http::field::cache_control) == response.end()) {
    response.set(boost::beast::http::field::cache_control, "no-store");
  }
  const auto duration = std::chrono::steady_clock::now() - request.received_at;
  metrics_.observe_request(request.route, response.result_int(), duration);
  log_request(request, response.result_int(), duration);
  co_return response;
}

void Server::shutdown(std::function<void()> on_stopped) {
  asio::co_spawn(acceptor_strand_, drain(std::move(on_stopped)), asio::detached);
}

void Server::close_idle_connections() {
  std::scoped_lock lock{connections_mutex_};
  for (const auto& connection : connections_) {
    asio::post(connection->socket.get_executor(), [connection] {
      if (connection->idle) {
        boost::system::error_code ignored;
        connection->socket.cancel(ignored);
      }
    });
  }
}

asio::awaitable<void> Server::drain(std::function<void()> on_stopped) {
  draining_ = true;
  log_event(spdlog::level::info, "draining");
  asio::steady_timer timer{acceptor_strand_};
  if (limits_.shutdown_delay.count() > 0) {
    timer.expires_after(limits_.shutdown_delay);
    co_await timer.async_wait(no_throw);
  }
  stopping_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  const auto deadline = std::chrono::steady_clock::now() + limits_.shutdown_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    // Repeated, since a connection that was mid-request becomes idle after answering.
    close_idle_connections();
    {
      std::scoped_lock lock{connections_mutex_};
      if (connections_.empty()) {
        break;
      }
    }
    timer.expires_after(std::chrono::milliseconds{20});
    co_await timer.async_wait(no_throw);
  }
  std::size_t abandoned = 0;
  {
    std::scoped_lock lock{connections_mutex_};
    abandoned = connections_.size();
  }
  log_event(spdlog::level::info, "drained", {{"abandoned_connections", abandoned}});
  on_stopped();
}

}  // namespace boxoffice::http
