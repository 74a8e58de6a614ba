// How the S3 store behaves when the server does not: retries what may pass (5xx,
// SlowDown, dropped connections), gives up on what will not (403), never waits past its
// deadline, and reports a failure as StorageUnavailable naming the store, never a secret.
#include "fake_s3_server.hpp"
#include "storage/s3/s3_store.hpp"
#include "store_calls.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <string>

namespace boxoffice::storage::s3 {
namespace {

using namespace std::chrono_literals;
using fakes::FakeBehaviour;
using fakes::FakeS3Server;
using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

S3ClientOptions quick_options() {
  return {.connect_timeout = 500ms,
          .request_timeout = 1500ms,
          .attempts_max = 3,
          .backoff_base = 20ms,
          .idle_connections_max = 8,
          .idle_connection_age_max = 4000ms,
          .response_bytes_max = std::size_t{1024} * 1024,
          .ca_file = {}};
}

class S3StoreFailures : public StoreCalls {
 protected:
  std::unique_ptr<S3Store> store_at(const std::string& url,
                                    const S3ClientOptions& options = quick_options()) {
    return std::make_unique<S3Store>(io_.get_executor(), parse_s3_location(url),
                                     Credentials{.access_key_id = "AKIAIOSFODNN7EXAMPLE",
                                                 .secret_access_key = std::string{secret},
                                                 .session_token = "a-session-token"},
                                     options);
  }
};

TEST_F(S3StoreFailures, ServerErrorsAreRetriedUntilOneSucceeds) {
  const FakeS3Server server{FakeBehaviour::answer, {503, 503, 200}};
  auto store = store_at(server.url());
  run(store->put("a/b.webp", "bytes", "image/webp"));
  EXPECT_EQ(server.requests(), 3);
  // Kept alive between attempts: one connection for all three.
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(S3StoreFailures, EachRetryableStatusIsRetried) {
  for (const unsigned status : {500U, 502U, 503U, 504U}) {
    const FakeS3Server server{FakeBehaviour::answer, {status, 200}};
    auto store = store_at(server.url());
    const auto stored = run(store->get("a.webp"));
    ASSERT_TRUE(stored.has_value()) << status;
    EXPECT_EQ(stored->bytes, "stored bytes");
    EXPECT_EQ(stored->content_type, "image/webp");
    EXPECT_EQ(server.requests(), 2) << status;
  }
}

TEST_F(S3StoreFailures, ServerErrorsThatPersistMakeTheStoreUnavailable) {
  const FakeS3Server server{FakeBehaviour::answer, {503}};
  auto store = store_at(server.url());
  const auto message = unavailable_message(store->put("a.webp", "bytes", "image/webp"));
  EXPECT_EQ(server.requests(), 3);
  EXPECT_NE(message.find("s3 bucket boxoffice-test at http://127.0.0.1:"), std::string::npos)
      << message;
  EXPECT_NE(message.find("HTTP 503 SlowDown (3 attempts"), std::string::npos) << message;
}

TEST_F(S3StoreFailures, ASilentServerFailsWithinTheDeadline) {
  const FakeS3Server server{FakeBehaviour::silent};
  auto store = store_at(server.url());
  const auto started = SteadyClock::now();
  const auto message = unavailable_message(store->get("a.webp"));
  const auto waited = SteadyClock::now() - started;
  EXPECT_GE(waited, quick_options().request_timeout - 100ms);
  EXPECT_LT(waited, quick_options().request_timeout + 1s);
  EXPECT_NE(message.find("no answer within"), std::string::npos) << message;
}

TEST_F(S3StoreFailures, AHangUpIsRetriedThenReported) {
  const FakeS3Server server{FakeBehaviour::hang_up};
  auto store = store_at(server.url());
  const auto message = unavailable_message(store->exists("a.webp"));
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(server.requests(), 3);
  EXPECT_NE(message.find("the connection failed"), std::string::npos) << message;
  EXPECT_NE(message.find("(3 attempts"), std::string::npos) << message;
}

TEST_F(S3StoreFailures, AForbiddenAnswerIsNotRetried) {
  const FakeS3Server server{FakeBehaviour::answer, {403}};
  auto store = store_at(server.url());
  const auto message = unavailable_message(store->put("a.webp", "bytes", "image/webp"));
  EXPECT_EQ(server.requests(), 1);
  EXPECT_NE(message.find("PUT a.webp: HTTP 403 AccessDenied"), std::string::npos) << message;
  EXPECT_EQ(message.find(secret), std::string::npos) << message;
  EXPECT_EQ(message.find("a-session-token"), std::string::npos) << message;
}

TEST_F(S3StoreFailures, ARefusedConnectionFailsQuickly) {
  std::uint16_t closed_port = 0;
  {
    const FakeS3Server gone{FakeBehaviour::answer};
    closed_port = gone.port();
  }
  auto store =
      store_at("s3://boxoffice-test?endpoint=http://127.0.0.1:" + std::to_string(closed_port));
  const auto started = SteadyClock::now();
  const auto message = unavailable_message(store->get("a.webp"));
  EXPECT_LT(SteadyClock::now() - started, 1s);
  EXPECT_NE(message.find("cannot connect to 127.0.0.1:"), std::string::npos) << message;
}

TEST_F(S3StoreFailures, NotFoundMeansAbsent) {
  const FakeS3Server server{FakeBehaviour::answer, {404}};
  auto store = store_at(server.url());
  EXPECT_FALSE(run(store->get("a.webp")).has_value());
  EXPECT_FALSE(run(store->exists("a.webp")));
  EXPECT_NO_THROW(run(store->remove("a.webp")));
  EXPECT_EQ(server.requests(), 3);
}

TEST_F(S3StoreFailures, NotFoundOnPutIsAFailure) {
  const FakeS3Server server{FakeBehaviour::answer, {404}};
  auto store = store_at(server.url());
  const auto message = unavailable_message(store->put("a.webp", "bytes", "image/webp"));
  EXPECT_NE(message.find("HTTP 404 NoSuchKey"), std::string::npos) << message;
}

TEST_F(S3StoreFailures, InvalidKeysAreRefusedBeforeAnyConnection) {
  const FakeS3Server server{FakeBehaviour::answer};
  auto store = store_at(server.url());
  EXPECT_THROW(run(store->put("../escape", "x", "image/jpeg")), std::invalid_argument);
  EXPECT_THROW(run(store->get("UPPER.jpg")), std::invalid_argument);
  EXPECT_THROW(run(store->exists("")), std::invalid_argument);
  EXPECT_THROW(run(store->remove("a//b")), std::invalid_argument);
  EXPECT_THROW(run(store->put("ok.jpg", "x", "image/jpeg\r\nX-Injected: 1")),
               std::invalid_argument);
  EXPECT_EQ(server.connections(), 0);
}

TEST_F(S3StoreFailures, APutIsSignedWithItsPayloadHashTypeAndLength) {
  const FakeS3Server server{FakeBehaviour::answer, {200}};
  auto store = store_at(server.url() + "&prefix=posters");
  run(store->put("ab/cd.webp", "hello", "image/webp"));
  const auto received = server.received();
  ASSERT_EQ(received.size(), 1U);
  const auto& request = received.front();
  EXPECT_EQ(request.method_string(), "PUT");
  EXPECT_EQ(request.target(), "/boxoffice-test/posters/ab/cd.webp");
  EXPECT_EQ(request["Host"], "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(request["Content-Type"], "image/webp");
  EXPECT_EQ(request["Content-Length"], "5");
  EXPECT_EQ(request["x-amz-content-sha256"], sha256_hex("hello"));
  EXPECT_EQ(request["x-amz-security-token"], "a-session-token");
  EXPECT_EQ(request.body(), "hello");
  const std::string authorization{request["Authorization"]};
  EXPECT_TRUE(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"))
      << authorization;
  EXPECT_NE(authorization.find("/us-east-1/s3/aws4_request, SignedHeaders=content-type;host;"
                               "x-amz-content-sha256;x-amz-date;x-amz-security-token, "),
            std::string::npos)
      << authorization;
}

TEST_F(S3StoreFailures, AKeptConnectionTheServerClosedCostsNoAttempt) {
  const FakeS3Server server{FakeBehaviour::answer_then_hang_up, {200}};
  auto options = quick_options();
  options.attempts_max = 1;
  auto store = store_at(server.url(), options);
  EXPECT_TRUE(run(store->exists("a.webp")));
  // Goes out on the pooled connection, finds it closed, and is sent again on a new one.
  EXPECT_TRUE(run(store->exists("a.webp")));
  EXPECT_EQ(server.requests(), 2);
  EXPECT_EQ(server.connections(), 2);
}

TEST_F(S3StoreFailures, ConnectionsAreReusedAndBounded) {
  const FakeS3Server server{FakeBehaviour::answer, {200}};
  auto options = quick_options();
  options.idle_connections_max = 1;
  auto store = store_at(server.url(), options);
  for (int i = 0; i < 5; ++i) {
    run(store->exists("a.webp"));
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.requests(), 5);
}

}  // namespace
}  // namespace boxoffice::storage::s3
