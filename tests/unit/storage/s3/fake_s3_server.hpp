// A stand-in for an S3 server that misbehaves on purpose: it answers from a script of
// statuses, never answers, or hangs up, so the tests can watch the store's retries and
// timeouts; over plain HTTP, or over TLS with a test certificate. It listens on a free
// loopback port and runs on a thread of its own, so the store under test keeps its own
// io_context.
#pragma once

#include "test_certificate.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace boxoffice::storage::s3::fakes {

enum class FakeBehaviour {
  // Answers the n-th request with the n-th status (the last one repeats).
  answer,
  // Reads the request and never answers.
  silent,
  // Reads the request and closes the connection.
  hang_up,
  // Answers as `answer` does, promising keep-alive, then closes the connection anyway (as
  // a server does with connections idle too long).
  answer_then_hang_up,
};

class FakeS3Server {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  explicit FakeS3Server(FakeBehaviour behaviour, std::vector<unsigned> statuses = {200},
                        const std::optional<TestCertificate>& tls = std::nullopt)
      : behaviour_(behaviour), statuses_(std::move(statuses)) {
    if (tls) {
      tls_ = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
      tls_->use_certificate_chain(boost::asio::buffer(tls->certificate_pem));
      tls_->use_private_key(boost::asio::buffer(tls->private_key_pem),
                            boost::asio::ssl::context::pem);
    }
    const boost::asio::ip::tcp::endpoint loopback{boost::asio::ip::make_address("127.0.0.1"), 0};
    acceptor_.open(loopback.protocol());
    acceptor_.bind(loopback);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    boost::asio::co_spawn(io_, accept_loop(), boost::asio::detached);
    thread_ = std::thread{[this] { io_.run(); }};
  }
  FakeS3Server(const FakeS3Server&) = delete;
  FakeS3Server& operator=(const FakeS3Server&) = delete;
  ~FakeS3Server() {
    io_.stop();
    thread_.join();
  }

  [[nodiscard]] unsigned short port() const { return port_; }
  [[nodiscard]] std::string url() const {
    return "s3://boxoffice-test?endpoint=http://127.0.0.1:" + std::to_string(port_) +
           "&region=us-east-1";
  }
  [[nodiscard]] int connections() const { return connections_; }
  [[nodiscard]] int failed_handshakes() const { return failed_handshakes_; }
  // The host name the last TLS client asked for (SNI), empty when it sent none.
  [[nodiscard]] std::string server_name() const {
    const std::lock_guard lock{mutex_};
    return server_name_;
  }
  [[nodiscard]] int requests() const {
    const std::lock_guard lock{mutex_};
    return static_cast<int>(received_.size());
  }
  [[nodiscard]] std::vector<Request> received() const {
    const std::lock_guard lock{mutex_};
    return received_;
  }

 private:
  static constexpr auto no_throw = boost::asio::as_tuple(boost::asio::use_awaitable);

  boost::asio::awaitable<void> accept_loop() {
    while (true) {
      auto [error, socket] = co_await acceptor_.async_accept(no_throw);
      if (error) {
        co_return;
      }
      ++connections_;
      boost::asio::co_spawn(io_, serve(std::move(socket)), boost::asio::detached);
    }
  }

  static std::string error_body(unsigned status) {
    if (status == 503) {
      return "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
             "</Error>";
    }
    if (status == 403) {
      return "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
    }
    if (status == 404) {
      return "<Error><Code>NoSuchKey</Code></Error>";
    }
    if (status >= 300) {
      return "<Error><Code>InternalError</Code></Error>";
    }
    return {};
  }

  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket) {
    if (!tls_) {
      co_await exchanges(socket);
      co_return;
    }
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream{std::move(socket), *tls_};
    auto [handshake_error] =
        co_await stream.async_handshake(boost::asio::ssl::stream_base::server, no_throw);
    if (handshake_error) {
      ++failed_handshakes_;
      co_return;
    }
    {
      const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
      const std::lock_guard lock{mutex_};
      server_name_ = name == nullptr ? "" : name;
    }
    co_await exchanges(stream);
  }

  template <typename Stream>
  boost::asio::awaitable<void> exchanges(Stream& stream) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    while (true) {
      Request request;
      auto [read_error, read] = co_await http::async_read(stream, buffer, request, no_throw);
      if (read_error) {
        co_return;
      }
      std::size_t index = 0;
      {
        const std::lock_guard lock{mutex_};
        index = received_.size();
        received_.push_back(request);
      }
      if (behaviour_ == FakeBehaviour::hang_up) {
        boost::system::error_code ignored;
        stream.lowest_layer().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        stream.lowest_layer().close(ignored);
        co_return;
      }
      if (behaviour_ == FakeBehaviour::silent) {
        boost::asio::steady_timer forever{io_};
        forever.expires_after(std::chrono::minutes{5});
        co_await forever.async_wait(no_throw);
        co_return;
      }
      const auto status = statuses_[std::min(index, statuses_.size() - 1)];
      http::response<http::string_body> response{static_cast<http::status>(status),
                                                 request.version()};
      if (request.method() == http::verb::get && status == 200) {
        response.set(http::field::content_type, "image/webp");
        response.body() = "stored bytes";
      } else if (request.method() != http::verb::head) {
        response.set(http::field::content_type, "application/xml");
        response.body() = error_body(status);
      }
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      auto [write_error, written] = co_await http::async_write(stream, response, no_throw);
      if (write_error || !request.keep_alive() ||
          behaviour_ == FakeBehaviour::answer_then_hang_up) {
        co_return;
      }
    }
  }

  FakeBehaviour behaviour_;
  std::vector<unsigned> statuses_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  unsigned short port_ = 0;
  std::thread thread_;
  std::atomic<int> connections_{0};
  std::atomic<int> failed_handshakes_{0};
  mutable std::mutex mutex_;
  std::vector<Request> received_;
  std::string server_name_;
};

}  // namespace boxoffice::storage::s3::fakes
