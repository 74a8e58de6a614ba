// Posters in an S3 bucket (AWS, or any S3-compatible service): one signed HTTP request per
// operation, through S3HttpClient's timeouts, retries and connection pool.
#pragma once

#include "storage/object_store.hpp"
#include "storage/s3/s3_http_client.hpp"
#include "storage/s3/s3_location.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string_view>

namespace boxoffice::storage::s3 {

class S3Store final : public ObjectStore {
 public:
  S3Store(boost::asio::any_io_executor executor, S3Location location, Credentials credentials,
          S3ClientOptions options);

  boost::asio::awaitable<void> put(std::string key, std::string bytes,
                                   std::string content_type) override;
  boost::asio::awaitable<std::optional<StoredObject>> get(std::string key) override;
  boost::asio::awaitable<bool> exists(std::string key) override;
  boost::asio::awaitable<void> remove(std::string key) override;
  [[nodiscard]] std::string describe() const override;

 private:
  boost::asio::awaitable<S3Response> send(boost::beast::http::verb method, const std::string& key,
                                          NameValues headers, std::string body);

  S3HttpClient client_;
};

// The store named by an s3:// BOXOFFICE_STORAGE_URL, with the keys from AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, and the default timeouts and retries.
// Opens no connection yet.
// Throws std::invalid_argument with a one-line message naming the bad setting.
std::unique_ptr<ObjectStore> open_s3_store(boost::asio::any_io_executor executor,
                                           std::string_view storage_url);

}  // namespace boxoffice::storage::s3
