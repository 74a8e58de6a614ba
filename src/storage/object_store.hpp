// Where poster files live: a folder for the embedded default, any S3-compatible service in
// production. Objects are written whole and never changed afterwards (their keys are
// hashes of their bytes), so an implementation needs no locking beyond an atomic write.
#pragma once

#include "common/backend_unavailable.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <stdexcept>
#include <string>

namespace boxoffice::storage {

struct StoredObject {
  std::string bytes;
  std::string content_type;
};

// The store could not be reached or failed; the request that needed it answers 503.
class StorageUnavailable : public BackendUnavailable {
 public:
  using BackendUnavailable::BackendUnavailable;
};

// Keys are 1 to 200 characters of [a-z0-9._-], optionally with '/' between non-empty
// parts (no leading '/', no "." or ".." part): safe as a file path and as a URL path.
bool valid_object_key(std::string_view key);

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // Stores `bytes` under `key`, replacing any object there. Readers see either the
  // previous object or all of the new one, never a part. Throws std::invalid_argument on
  // an invalid key and StorageUnavailable when the store fails.
  virtual boost::asio::awaitable<void> put(std::string key, std::string bytes,
                                           std::string content_type) = 0;
  // The object, or nullopt when there is none under `key`.
  virtual boost::asio::awaitable<std::optional<StoredObject>> get(std::string key) = 0;
  virtual boost::asio::awaitable<bool> exists(std::string key) = 0;
  // Removes the object; removing a missing one is not an error.
  virtual boost::asio::awaitable<void> remove(std::string key) = 0;
  // For logs and errors, without secrets: "folder ./data/posters", "s3 bucket at URL".
  [[nodiscard]] virtual std::string describe() const = 0;
};

}  // namespace boxoffice::storage
