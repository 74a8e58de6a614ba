// Signed HTTP/1.1 exchanges with one S3 endpoint, over TCP or TLS, for the S3 store.
//
// Every call has a deadline (request_timeout) that covers resolving, connecting,
// retrying and backing off; each new connection must also be up within connect_timeout.
// Connection failures, timeouts, 500/502/503/504 and S3's SlowDown are retried, up to
// attempts_max attempts with a short jittered backoff; any other answer (2xx, 404, 403...)
// is returned at once for the store to judge. Once per call, a connection from the idle
// pool found closed does not use up an attempt: servers close idle connections when they
// like, and the request never reached them.
//
// Keep-alive connections wait in a small pool (idle_connections_max) for the next request,
// which saves a TCP and TLS handshake per object. Everything runs on the executor given at
// construction; the client may be used by many coroutines at once, on several threads.
#pragma once

#include "storage/s3/s3_location.hpp"
#include "storage/s3/sigv4.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace boxoffice::storage::s3 {

struct S3ClientOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  // The whole call: every attempt and every backoff between them.
  std::chrono::milliseconds request_timeout{30'000};
  int attempts_max = 3;
  // Attempt n waits a random time between half and all of backoff_base * 2^(n-1).
  std::chrono::milliseconds backoff_base{100};
  std::size_t idle_connections_max = 8;
  // Servers close idle keep-alive connections (Node.js after 5 s, S3 after about 20 s);
  // older ones are dropped rather than risked.
  std::chrono::milliseconds idle_connection_age_max{4'000};
  // A bound on the body of any answer held in memory.
  std::size_t response_bytes_max = std::size_t{64} * 1024 * 1024;
  // PEM certificates trusted besides the system's, for a service with a private CA;
  // empty: the system's only.
  std::string ca_file;
};

struct S3Request {
  boost::beast::http::verb method;
  // Percent-encoded (S3Location::object_path).
  std::string path;
  // Headers to send and sign besides Host and the signer's own (e.g. Content-Type).
  NameValues headers;
  std::string body;
};

struct S3Response {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  // S3's error code from an XML error body ("SlowDown", "AccessDenied"), else empty.
  std::string error_code;
};

class S3HttpClient {
 public:
  // Throws std::invalid_argument when options.ca_file cannot be read.
  S3HttpClient(boost::asio::any_io_executor executor, S3Location location, Credentials credentials,
               S3ClientOptions options);
  ~S3HttpClient();
  S3HttpClient(const S3HttpClient&) = delete;
  S3HttpClient& operator=(const S3HttpClient&) = delete;

  // The first answer that is not worth retrying. Throws StorageUnavailable when none came:
  // every attempt failed, or the deadline passed, or the last answer was still a 5xx. The
  // client must outlive the calls in flight.
  boost::asio::awaitable<S3Response> send(S3Request request);

  [[nodiscard]] const S3Location& location() const noexcept { return location_; }

  struct Connection;

 private:
  struct Attempt;

  boost::asio::awaitable<Attempt> attempt(const S3Request& request, const std::string& payload_hash,
                                          std::chrono::steady_clock::time_point deadline);
  boost::asio::awaitable<std::string> connect(Connection& connection,
                                              std::chrono::steady_clock::time_point deadline);
  std::unique_ptr<Connection> take_idle();
  void give_back(std::unique_ptr<Connection> connection);
  std::chrono::milliseconds backoff(int failed_attempts);
  [[nodiscard]] std::string failure_message(const S3Request& request, const std::string& why) const;

  boost::asio::any_io_executor executor_;
  S3Location location_;
  Credentials credentials_;
  S3ClientOptions options_;
  SigningScope scope_;
  struct TlsContext;
  std::unique_ptr<TlsContext> tls_;

  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::minstd_rand jitter_;
};

}  // namespace boxoffice::storage::s3
