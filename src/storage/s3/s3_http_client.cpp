#include "storage/s3/s3_http_client.hpp"

#include "storage/object_store.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace boxoffice::storage::s3 {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);

using RequestHead = http::request_header<>;
using ResponseParser = http::response_parser<http::string_body>;

long long milliseconds_between(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

// Writes one request (its head, then the body as it is, uncopied) and reads the answer. A
// template because a plain TCP connection uses the TLS stream's lower layer. Writing the
// head and body as two buffers rather than with http::async_write also keeps
// clang-analyzer out of a false alarm inside Asio's coroutine frames.
template <typename Stream>
asio::awaitable<error_code> exchange(Stream& stream, beast::flat_buffer& buffer,
                                     const RequestHead& head, std::string_view body,
                                     ResponseParser& parser) {
  std::ostringstream head_stream;
  head_stream << head;
  const auto head_text = head_stream.str();
  const std::array<asio::const_buffer, 2> wire{asio::buffer(head_text), asio::buffer(body)};
  auto [write_error, written] = co_await asio::async_write(stream, wire, no_throw);
  if (write_error) {
    co_return write_error;
  }
  auto [read_error, read] = co_await http::async_read(stream, buffer, parser, no_throw);
  co_return read_error;
}

// The <Code> of an S3 XML error body, kept to letters and digits and bounded: it ends up in
// messages and logs, and the body is the server's text.
std::string s3_error_code(std::string_view body) {
  constexpr std::string_view open = "<Code>";
  const auto start = body.find(open);
  if (start == std::string_view::npos) {
    return {};
  }
  std::string code;
  for (auto i = start + open.size(); i < body.size() && code.size() < 64; ++i) {
    const char c = body[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      break;
    }
    code.push_back(c);
  }
  return code;
}

bool worth_retrying(const S3Response& response) {
  return response.status == 500 || response.status == 502 || response.status == 503 ||
         response.status == 504 || response.error_code == "SlowDown";
}

std::string status_text(const S3Response& response) {
  auto text = "HTTP " + std::to_string(response.status);
  if (!response.error_code.empty()) {
    text += ' ' + response.error_code;
  }
  return text;
}

// A request that failed this way on a reused connection most likely met a connection the
// server had already closed, so it never arrived.
bool closed_under_us(const error_code& error) {
  return error == http::error::end_of_stream || error == asio::error::eof ||
         error == asio::error::connection_reset || error == asio::error::broken_pipe;
}

}  // namespace

struct S3HttpClient::TlsContext {
  ssl::context context{ssl::context::tls_client};
};

struct S3HttpClient::Connection {
  Connection(const asio::any_io_executor& executor, ssl::context& tls_context)
      : stream(executor, tls_context) {}

  beast::tcp_stream& tcp() { return stream.next_layer(); }

  // Always a TLS stream: over plain HTTP only its lower layer is used.
  beast::ssl_stream<beast::tcp_stream> stream;
  // Bytes read past one answer belong to the next on a keep-alive connection.
  beast::flat_buffer buffer;
  SteadyClock::time_point idle_since{};
};

struct S3HttpClient::Attempt {
  std::optional<S3Response> response;
  // Why there is no response.
  std::string failure;
  bool retryable = true;
  // The connection came from the pool and was found closed: the request never arrived.
  bool stale_connection = false;
};

S3HttpClient::S3HttpClient(asio::any_io_executor executor, S3Location location,
                           Credentials credentials, S3ClientOptions options)
    : executor_(std::move(executor)),
      location_(std::move(location)),
      credentials_(std::move(credentials)),
      options_(std::move(options)),
      scope_{.region = location_.region,
             .service = "s3",
             .path_rule = PathRule::as_sent,
             .payload_hash_header = true},
      tls_(std::make_unique<TlsContext>()),
      jitter_(std::random_device{}()) {
  if (location_.tls) {
    // Without the system's trust store no server can be verified; the handshake then
    // fails with a message saying so, which is the error worth seeing.
    error_code ignored;
    tls_->context.set_default_verify_paths(ignored);
    tls_->context.set_verify_mode(ssl::verify_peer);
    if (!options_.ca_file.empty()) {
      error_code error;
      tls_->context.load_verify_file(options_.ca_file, error);
      if (error) {
        throw std::invalid_argument("cannot read the CA file " + options_.ca_file + ": " +
                                    error.message());
      }
    }
  }
}

S3HttpClient::~S3HttpClient() = default;

asio::awaitable<S3Response> S3HttpClient::send(S3Request request) {
  const auto started = SteadyClock::now();
  const auto deadline = started + options_.request_timeout;
  const auto payload_hash = sha256_hex(request.body);
  bool stale_retry_left = true;
  int attempts = 0;
  std::string last_failure;
  while (attempts < options_.attempts_max) {
    auto outcome = co_await attempt(request, payload_hash, deadline);
    if (outcome.response && !worth_retrying(*outcome.response)) {
      co_return std::move(*outcome.response);
    }
    if (outcome.stale_connection && stale_retry_left) {
      stale_retry_left = false;
      continue;
    }
    ++attempts;
    last_failure = outcome.response ? status_text(*outcome.response) : outcome.failure;
    if (!outcome.retryable || attempts == options_.attempts_max) {
      break;
    }
    const auto pause = backoff(attempts);
    if (SteadyClock::now() + pause >= deadline) {
      last_failure += "; no time left to retry";
      break;
    }
    asio::steady_timer timer{executor_};
    timer.expires_after(pause);
    co_await timer.async_wait(no_throw);
  }
  throw StorageUnavailable(failure_message(
      request, last_failure + " (" + std::to_string(attempts) + " attempt" +
                   (attempts == 1 ? "" : "s") + " in " +
                   std::to_string(milliseconds_between(started, SteadyClock::now())) + " ms)"));
}

asio::awaitable<S3HttpClient::Attempt> S3HttpClient::attempt(const S3Request& request,
                                                             const std::string& payload_hash,
                                                             SteadyClock::time_point deadline) {
  Attempt outcome;
  auto connection = take_idle();
  const bool reused = connection != nullptr;
  if (!reused) {
    connection = std::make_unique<Connection>(executor_, tls_->context);
    outcome.failure = co_await connect(*connection, deadline);
    if (!outcome.failure.empty()) {
      co_return outcome;
    }
  }

  NameValues signed_headers = request.headers;
  signed_headers.emplace_back("host", location_.host_header());
  SigningRequest signing{.method = std::string{http::to_string(request.method)},
                         .path = request.path,
                         .query = {},
                         .headers = signed_headers,
                         .payload_hash = payload_hash};
  const auto signature = sign(signing, credentials_, scope_, std::chrono::system_clock::now());

  RequestHead head;
  head.method(request.method);
  head.target(request.path);
  head.version(11);
  for (const auto& [name, value] : signed_headers) {
    head.set(name, value);
  }
  for (const auto& [name, value] : signature.headers_to_add) {
    head.set(name, value);
  }
  // A PUT always says its length, even 0; other methods only when they carry a body.
  if (request.method == http::verb::put || !request.body.empty()) {
    head.set(http::field::content_length, std::to_string(request.body.size()));
  }

  ResponseParser parser;
  parser.body_limit(options_.response_bytes_max);
  if (request.method == http::verb::head) {
    parser.skip(true);
  }

  connection->tcp().expires_at(deadline);
  error_code error;
  if (location_.tls) {
    error = co_await exchange(connection->stream, connection->buffer, head, request.body, parser);
  } else {
    error = co_await exchange(connection->tcp(), connection->buffer, head, request.body, parser);
  }
  if (error) {
    if (error == beast::error::timeout) {
      outcome.failure = "no answer within the deadline of " +
                        std::to_string(options_.request_timeout.count()) + " ms";
    } else if (error == http::error::body_limit) {
      outcome.failure =
          "the answer is larger than " + std::to_string(options_.response_bytes_max) + " bytes";
      outcome.retryable = false;
    } else {
      outcome.failure = "the connection failed: " + error.message();
      outcome.stale_connection = reused && closed_under_us(error);
    }
    co_return outcome;
  }

  auto answer = parser.release();
  S3Response response;
  response.status = answer.result_int();
  if (const auto type = answer.find(http::field::content_type); type != answer.end()) {
    response.content_type = std::string{type->value()};
  }
  response.body = std::move(answer.body());
  if (response.status >= 300) {
    response.error_code = s3_error_code(response.body);
  }
  if (answer.keep_alive()) {
    connection->tcp().expires_never();
    give_back(std::move(connection));
  }
  outcome.response = std::move(response);
  co_return outcome;
}

asio::awaitable<std::string> S3HttpClient::connect(Connection& connection,
                                                   SteadyClock::time_point deadline) {
  const auto connect_deadline = std::min(deadline, SteadyClock::now() + options_.connect_timeout);
  const auto host = location_.connect_host();
  const auto port = std::to_string(location_.port);

  // The resolver is shared with the timer's handler, which may run after this frame ends.
  auto resolver = std::make_shared<tcp::resolver>(executor_);
  asio::steady_timer resolve_timer{executor_};
  resolve_timer.expires_at(connect_deadline);
  auto cancel_resolve = [resolver](const error_code& error) {
    if (!error) {
      resolver->cancel();
    }
  };
  resolve_timer.async_wait(cancel_resolve);
  auto [resolve_error, endpoints] = co_await resolver->async_resolve(host, port, no_throw);
  resolve_timer.cancel();
  if (resolve_error == asio::error::operation_aborted) {
    co_return "cannot resolve " + host + " within the connect timeout";
  }
  if (resolve_error) {
    co_return "cannot resolve " + host + ": " + resolve_error.message();
  }

  connection.tcp().expires_at(connect_deadline);
  auto [connect_error, endpoint] = co_await connection.tcp().async_connect(endpoints, no_throw);
  if (connect_error == beast::error::timeout) {
    co_return "no connection to " + host + ':' + port + " within " +
        std::to_string(options_.connect_timeout.count()) + " ms";
  }
  if (connect_error) {
    co_return "cannot connect to " + host + ':' + port + ": " + connect_error.message();
  }

  if (location_.tls) {
    // SNI, so that a server with many names presents this one's certificate (an address
    // is never sent as a name: RFC 6066); and the certificate must be for this host.
    error_code not_an_address;
    asio::ip::make_address(host, not_an_address);
    if (not_an_address &&
        SSL_ctrl(connection.stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                 TLSEXT_NAMETYPE_host_name, const_cast<char*>(host.c_str())) != 1) {
      co_return "cannot set up TLS for " + host;
    }
    connection.stream.set_verify_callback(ssl::host_name_verification(host));
    auto [handshake_error] =
        co_await connection.stream.async_handshake(ssl::stream_base::client, no_throw);
    if (handshake_error == beast::error::timeout) {
      co_return "no TLS handshake with " + host + " within " +
          std::to_string(options_.connect_timeout.count()) + " ms";
    }
    if (handshake_error) {
      co_return "TLS handshake with " + host + " failed: " + handshake_error.message();
    }
  }
  co_return std::string{};
}

std::unique_ptr<S3HttpClient::Connection> S3HttpClient::take_idle() {
  const std::lock_guard lock{mutex_};
  const auto oldest_allowed = SteadyClock::now() - options_.idle_connection_age_max;
  while (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    if (connection->idle_since >= oldest_allowed) {
      return connection;
    }
  }
  return nullptr;
}

void S3HttpClient::give_back(std::unique_ptr<Connection> connection) {
  connection->idle_since = SteadyClock::now();
  const std::lock_guard lock{mutex_};
  if (idle_.size() < options_.idle_connections_max) {
    idle_.push_back(std::move(connection));
  }
}

std::chrono::milliseconds S3HttpClient::backoff(int failed_attempts) {
  const auto doublings = std::clamp(failed_attempts - 1, 0, 10);
  const auto ceiling = options_.backoff_base.count() << doublings;
  std::uniform_int_distribution<long long> pick{ceiling / 2, ceiling};
  const std::lock_guard lock{mutex_};
  return std::chrono::milliseconds{pick(jitter_)};
}

std::string S3HttpClient::failure_message(const S3Request& request, const std::string& why) const {
  return location_.describe() + ": " + std::string{http::to_string(request.method)} + ' ' +
         request.path + ": " + why;
}

}  // namespace boxoffice::storage::s3
