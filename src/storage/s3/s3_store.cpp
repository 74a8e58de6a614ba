#include "storage/s3/s3_store.hpp"

#include <cstdlib>
#include <stdexcept>

namespace boxoffice::storage::s3 {

namespace asio = boost::asio;
using boost::beast::http::verb;

namespace {

void require_valid_key(const std::string& key) {
  if (!valid_object_key(key)) {
    throw std::invalid_argument("not a valid object key: '" + key.substr(0, 200) + "'");
  }
}

bool one_line(std::string_view text) {
  for (const char c : text) {
    if (c == '\r' || c == '\n' || c == '\0') {
      return false;
    }
  }
  return true;
}

bool success(unsigned status) {
  return status >= 200 && status < 300;
}

}  // namespace

S3Store::S3Store(asio::any_io_executor executor, S3Location location, Credentials credentials,
                 S3ClientOptions options)
    : client_(std::move(executor), std::move(location), std::move(credentials),
              std::move(options)) {}

asio::awaitable<void> S3Store::put(std::string key, std::string bytes, std::string content_type) {
  require_valid_key(key);
  if (!one_line(content_type)) {
    throw std::invalid_argument("a content type is one line");
  }
  NameValues headers{{"content-type", std::move(content_type)}};
  co_await send(verb::put, key, std::move(headers), std::move(bytes));
}

asio::awaitable<std::optional<StoredObject>> S3Store::get(std::string key) {
  require_valid_key(key);
  NameValues no_headers;
  std::string no_body;
  auto response = co_await send(verb::get, key, std::move(no_headers), std::move(no_body));
  if (response.status == 404) {
    co_return std::nullopt;
  }
  StoredObject object{.bytes = std::move(response.body),
                      .content_type = std::move(response.content_type)};
  co_return object;
}

asio::awaitable<bool> S3Store::exists(std::string key) {
  require_valid_key(key);
  NameValues no_headers;
  std::string no_body;
  const auto response = co_await send(verb::head, key, std::move(no_headers), std::move(no_body));
  co_return response.status != 404;
}

asio::awaitable<void> S3Store::remove(std::string key) {
  require_valid_key(key);
  NameValues no_headers;
  std::string no_body;
  co_await send(verb::delete_, key, std::move(no_headers), std::move(no_body));
}

std::string S3Store::describe() const {
  return client_.location().describe();
}

// Every answer but success and, where it means "absent", 404 makes the store unavailable.
asio::awaitable<S3Response> S3Store::send(verb method, const std::string& key, NameValues headers,
                                          std::string body) {
  S3Request request{.method = method,
                    .path = client_.location().object_path(key),
                    .headers = std::move(headers),
                    .body = std::move(body)};
  auto response = co_await client_.send(std::move(request));
  const bool absent_is_an_answer = method != verb::put;
  if (success(response.status) || (response.status == 404 && absent_is_an_answer)) {
    co_return response;
  }
  auto why = "HTTP " + std::to_string(response.status);
  if (!response.error_code.empty()) {
    why += ' ' + response.error_code;
  }
  if (response.status == 403 && (method == verb::get || method == verb::head)) {
    // S3 hides whether an object exists from credentials that may not list the bucket.
    why += " (a missing object also answers 403 when the keys lack s3:ListBucket)";
  }
  throw StorageUnavailable(describe() + ": " + std::string{boost::beast::http::to_string(method)} +
                           ' ' + key + ": " + why);
}

std::unique_ptr<ObjectStore> open_s3_store(asio::any_io_executor executor,
                                           std::string_view storage_url) {
  auto location = parse_s3_location(storage_url);
  const EnvironmentLookup environment = [](const char* name) {
    return std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read once at start-up
  };
  auto credentials = credentials_from_environment(environment);
  return std::make_unique<S3Store>(std::move(executor), std::move(location), std::move(credentials),
                                   S3ClientOptions{});
}

}  // namespace boxoffice::storage::s3
