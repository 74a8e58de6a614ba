// Objects as files under one folder: the embedded default. Each file starts with its
// content type on one line, so an object and its type are replaced by a single rename and
// a reader never sees one without the other.
#pragma once

#include "common/blocking_pool.hpp"
#include "storage/object_store.hpp"

#include <filesystem>

namespace boxoffice::storage {

class FolderStore final : public ObjectStore {
 public:
  // Creates `root` if needed. File work runs on `pool`, never on the caller's thread.
  FolderStore(std::filesystem::path root, BlockingPool& pool);

  boost::asio::awaitable<void> put(std::string key, std::string bytes,
                                   std::string content_type) override;
  boost::asio::awaitable<std::optional<StoredObject>> get(std::string key) override;
  boost::asio::awaitable<bool> exists(std::string key) override;
  boost::asio::awaitable<void> remove(std::string key) override;
  [[nodiscard]] std::string describe() const override;

 private:
  [[nodiscard]] std::filesystem::path path_of(std::string_view key) const;

  std::filesystem::path root_;
  // Unfinished writes; its name has a capital letter, which no key may have.
  std::filesystem::path incoming_;
  BlockingPool& pool_;
};

}  // namespace boxoffice::storage
