// HTTPS endpoints: the store verifies the server's certificate and its name, and says which
// host it wants (SNI), so a wrong or untrusted certificate fails the request instead of
// handing the keys' signatures and the posters to whoever answered.
#include "fake_s3_server.hpp"
#include "storage/s3/s3_store.hpp"
#include "store_calls.hpp"
#include "test_certificate.hpp"

#include "common/random.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <filesystem>
#include <fstream>

namespace boxoffice::storage::s3 {
namespace {

using namespace std::chrono_literals;
using fakes::FakeBehaviour;
using fakes::FakeS3Server;
using fakes::self_signed_certificate;
using fakes::TestCertificate;

class S3StoreTls : public StoreCalls {
 protected:
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove(ca_file_, ignored);
  }

  // A store for https://localhost:PORT that trusts `trusted` (or only the system's CAs).
  std::unique_ptr<S3Store> store_for(const FakeS3Server& server,
                                     const std::optional<TestCertificate>& trusted) {
    S3ClientOptions options{.connect_timeout = 1000ms,
                            .request_timeout = 3000ms,
                            .attempts_max = 2,
                            .backoff_base = 10ms,
                            .idle_connections_max = 8,
                            .idle_connection_age_max = 4000ms,
                            .response_bytes_max = std::size_t{1024} * 1024,
                            .ca_file = {}};
    if (trusted) {
      ca_file_ =
          std::filesystem::temp_directory_path() / ("boxoffice-ca-" + random_hex(8) + ".pem");
      std::ofstream{ca_file_} << trusted->certificate_pem;
      options.ca_file = ca_file_.string();
    }
    const auto url =
        "s3://boxoffice-test?endpoint=https://localhost:" + std::to_string(server.port()) +
        "&region=us-east-1";
    return std::make_unique<S3Store>(io_.get_executor(), parse_s3_location(url),
                                     Credentials{.access_key_id = "AKIAIOSFODNN7EXAMPLE",
                                                 .secret_access_key = "secret",
                                                 .session_token = ""},
                                     std::move(options));
  }

  std::filesystem::path ca_file_;
};

TEST_F(S3StoreTls, ATrustedCertificateForTheHostWorks) {
  const auto certificate = self_signed_certificate("DNS:localhost,IP:127.0.0.1");
  const FakeS3Server server{FakeBehaviour::answer, {200}, certificate};
  auto store = store_for(server, certificate);
  run(store->put("a.webp", "bytes", "image/webp"));
  const auto stored = run(store->get("a.webp"));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->bytes, "stored bytes");
  EXPECT_EQ(server.server_name(), "localhost");
  EXPECT_EQ(server.requests(), 2);
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(S3StoreTls, AnUntrustedCertificateIsRefused) {
  const auto certificate = self_signed_certificate("DNS:localhost,IP:127.0.0.1");
  const FakeS3Server server{FakeBehaviour::answer, {200}, certificate};
  auto store = store_for(server, std::nullopt);
  const auto message = unavailable_message(store->put("a.webp", "bytes", "image/webp"));
  EXPECT_NE(message.find("TLS handshake with localhost failed: certificate verify failed"),
            std::string::npos)
      << message;
  EXPECT_EQ(server.requests(), 0);
}

TEST_F(S3StoreTls, ACertificateForAnotherNameIsRefused) {
  const auto certificate = self_signed_certificate("DNS:objects.example.net");
  const FakeS3Server server{FakeBehaviour::answer, {200}, certificate};
  auto store = store_for(server, certificate);
  const auto message = unavailable_message(store->exists("a.webp"));
  EXPECT_NE(message.find("TLS handshake with localhost failed: certificate verify failed"),
            std::string::npos)
      << message;
  EXPECT_EQ(server.requests(), 0);
}

TEST_F(S3StoreTls, APlainHttpServerIsNotTakenForTls) {
  const FakeS3Server server{FakeBehaviour::answer, {200}};
  auto store = store_for(server, std::nullopt);
  const auto message = unavailable_message(store->get("a.webp"));
  EXPECT_NE(message.find("TLS handshake with localhost failed"), std::string::npos) << message;
}

TEST(S3StoreTlsOptions, AnUnreadableCaFileIsRefused) {
  boost::asio::io_context io;
  S3ClientOptions options;
  options.ca_file = "/nonexistent/boxoffice-ca.pem";
  EXPECT_THROW(S3Store(io.get_executor(),
                       parse_s3_location("s3://boxoffice-test?endpoint=https://localhost:1"),
                       Credentials{}, std::move(options)),
               std::invalid_argument);
}

}  // namespace
}  // namespace boxoffice::storage::s3
