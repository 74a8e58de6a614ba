#include "rush/http_client.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>

#include <charconv>
#include <stdexcept>

namespace boxoffice::rush {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {

// A seat map of a stadium is a few megabytes; anything far beyond is a broken answer.
constexpr std::uint64_t max_body_bytes = 64ULL * 1024 * 1024;

bool closed_by_peer(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

}  // namespace

Endpoint parse_base_url(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    throw std::invalid_argument("not a URL: " + std::string{url});
  }
  if (parsed->scheme() != "http") {
    throw std::invalid_argument("only http:// URLs are supported: " + std::string{url});
  }
  Endpoint endpoint;
  endpoint.host = parsed->host_address();
  if (endpoint.host.empty()) {
    throw std::invalid_argument("the URL has no host: " + std::string{url});
  }
  endpoint.port = parsed->has_port() ? std::string{parsed->port()} : "80";
  endpoint.host_header = std::string{parsed->encoded_host_and_port()};
  endpoint.path_prefix = std::string{parsed->encoded_path()};
  while (!endpoint.path_prefix.empty() && endpoint.path_prefix.back() == '/') {
    endpoint.path_prefix.pop_back();
  }
  return endpoint;
}

std::string_view to_string(Failure failure) noexcept {
  switch (failure) {
    case Failure::none:
      return "none";
    case Failure::timeout:
      return "timeout";
    case Failure::connect:
      return "connect";
    case Failure::io:
      return "io";
  }
  return "unknown";
}

std::string Response::error_code() const {
  boost::system::error_code ec;
  const auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) {
    return {};
  }
  const auto* error_member = value.as_object().if_contains("error");
  if (error_member == nullptr || !error_member->is_object()) {
    return {};
  }
  const auto* code = error_member->as_object().if_contains("code");
  if (code == nullptr || !code->is_string()) {
    return {};
  }
  return std::string{code->as_string()};
}

struct ConnectionPool::Connection {
  Connection(const asio::any_io_executor& executor, std::size_t global_index)
      : stream(executor), index(global_index) {}

  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::size_t index;
  bool open = false;

  void close() {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
    buffer.clear();
    open = false;
  }
};

struct ConnectionPool::Waiter {
  explicit Waiter(const asio::any_io_executor& executor)
      : timer(executor, asio::steady_timer::time_point::max()) {}

  asio::steady_timer timer;
  std::unique_ptr<Connection> connection;
};

ConnectionPool::ConnectionPool(asio::any_io_executor executor, const Endpoint& endpoint,
                               PoolOptions options)
    : executor_(std::move(executor)), endpoint_(endpoint), options_(std::move(options)) {
  tcp::resolver resolver{executor_};
  for (const auto& entry : resolver.resolve(endpoint_.host, endpoint_.port)) {
    addresses_.push_back(entry.endpoint());
  }
  if (addresses_.empty()) {
    throw std::runtime_error("cannot resolve " + endpoint_.host);
  }
  for (std::size_t i = 0; i < options_.connections; ++i) {
    idle_.push_back(std::make_unique<Connection>(executor_, options_.first_index + i));
  }
}

ConnectionPool::~ConnectionPool() {
  for (auto& connection : idle_) {
    connection->close();
  }
}

asio::awaitable<std::unique_ptr<ConnectionPool::Connection>> ConnectionPool::acquire() {
  // Oldest idle first, so that every connection (and source address) takes its share.
  if (!idle_.empty()) {
    auto connection = std::move(idle_.front());
    idle_.pop_front();
    co_return connection;
  }
  Waiter waiter{executor_};
  waiters_.push_back(&waiter);
  boost::system::error_code ignored;
  while (!waiter.connection) {
    co_await waiter.timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return std::move(waiter.connection);
}

void ConnectionPool::release(std::unique_ptr<Connection> connection) {
  if (!waiters_.empty()) {
    auto* waiter = waiters_.front();
    waiters_.pop_front();
    waiter->connection = std::move(connection);
    waiter->timer.cancel();
    return;
  }
  idle_.push_back(std::move(connection));
}

asio::awaitable<Response> ConnectionPool::send(const Request& request) {
  auto connection = co_await acquire();
  Response response;
  for (int attempt = 0;; ++attempt) {
    bool stale = false;
    response = co_await exchange(*connection, request, stale);
    // The server closes keep-alive connections that sat idle too long; the first request
    // on such a connection fails before any handler saw it, so it goes again on a new one.
    if (!stale || attempt > 0) {
      break;
    }
  }
  release(std::move(connection));
  co_return response;
}

asio::awaitable<Response> ConnectionPool::exchange(Connection& connection, const Request& request,
                                                   bool& stale) {
  Response response;
  boost::system::error_code ec;
  const auto start = std::chrono::steady_clock::now();
  const bool reused = connection.open;
  auto fail = [&](Failure failure, std::string_view what) {
    response.failure = failure;
    response.error = std::string{what} + ": " + ec.message();
    response.latency = std::chrono::steady_clock::now() - start;
    stale = reused && failure == Failure::io && closed_by_peer(ec);
    connection.close();
  };

  if (!connection.open) {
    auto& socket = connection.stream.socket();
    if (!options_.sources.empty()) {
      const auto& source = options_.sources[connection.index % options_.sources.size()];
      socket.open(source.is_v4() ? tcp::v4() : tcp::v6(), ec);
      if (!ec) {
        socket.bind(tcp::endpoint{source, 0}, ec);
      }
      if (ec) {
        fail(Failure::connect, "bind " + source.to_string());
        co_return response;
      }
      connection.stream.expires_after(options_.timeout);
      // One endpoint only: connecting over a list would reopen the socket and lose the bind.
      co_await connection.stream.async_connect(addresses_.front(),
                                               asio::redirect_error(asio::use_awaitable, ec));
    } else {
      connection.stream.expires_after(options_.timeout);
      co_await connection.stream.async_connect(addresses_,
                                               asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) {
      fail(ec == beast::error::timeout ? Failure::timeout : Failure::connect, "connect");
      co_return response;
    }
    socket.set_option(tcp::no_delay{true}, ec);
    connection.open = true;
    ++connects_;
  }

  http::request<http::string_body> message{request.method, endpoint_.path_prefix + request.target,
                                           11};
  message.set(http::field::host, endpoint_.host_header);
  message.set(http::field::user_agent, "boxoffice-rush");
  message.set(http::field::accept, "application/json");
  if (!request.bearer.empty()) {
    message.set(http::field::authorization, "Bearer " + request.bearer);
  }
  if (!request.idempotency_key.empty()) {
    message.set("Idempotency-Key", request.idempotency_key);
  }
  if (!request.body.empty()) {
    message.set(http::field::content_type, "application/json");
    message.body() = request.body;
  }
  message.keep_alive(true);
  message.prepare_payload();

  connection.stream.expires_after(options_.timeout);
  co_await http::async_write(connection.stream, message,
                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    fail(ec == beast::error::timeout ? Failure::timeout : Failure::io, "write");
    co_return response;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body_bytes);
  co_await http::async_read(connection.stream, connection.buffer, parser,
                            asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    fail(ec == beast::error::timeout ? Failure::timeout : Failure::io, "read");
    co_return response;
  }
  connection.stream.expires_never();
  auto& answer = parser.get();
  response.status = answer.result_int();
  if (const auto it = answer.find(http::field::retry_after); it != answer.end()) {
    const auto text = it->value();
    int seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error == std::errc{} && end == text.data() + text.size() && seconds >= 0) {
      response.retry_after_seconds = seconds;
    }
  }
  const bool keep_alive = answer.keep_alive();
  response.body = std::move(answer.body());
  response.latency = std::chrono::steady_clock::now() - start;
  if (!keep_alive) {
    connection.close();
  }
  co_return response;
}

}  // namespace boxoffice::rush
