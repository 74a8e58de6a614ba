#include "storage/storage_url.hpp"

#include "storage/folder_store.hpp"
#include "storage/s3/s3_store.hpp"

#include <stdexcept>
#include <string>

namespace boxoffice::storage {

std::unique_ptr<ObjectStore> open_object_store(std::string_view url,
                                               boost::asio::any_io_executor executor,
                                               BlockingPool& file_pool) {
  if (url.starts_with("file:")) {
    const auto path = url.substr(5);
    if (path.empty()) {
      throw std::invalid_argument(
          "BOXOFFICE_STORAGE_URL: file: needs a folder, e.g. file:./data/posters");
    }
    try {
      return std::make_unique<FolderStore>(std::filesystem::path{std::string{path}}, file_pool);
    } catch (const StorageUnavailable& error) {
      throw std::invalid_argument(std::string{"BOXOFFICE_STORAGE_URL: "} + error.what());
    }
  }
  if (url.starts_with("s3://")) {
    return s3::open_s3_store(std::move(executor), url);
  }
  throw std::invalid_argument(
      "BOXOFFICE_STORAGE_URL: must be file:PATH or s3://BUCKET?endpoint=URL&region=R");
}

}  // namespace boxoffice::storage
