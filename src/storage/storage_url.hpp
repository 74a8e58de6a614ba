// BOXOFFICE_STORAGE_URL to a store: `file:PATH` (a folder) or `s3://BUCKET?...`.
#pragma once

#include "common/blocking_pool.hpp"
#include "storage/object_store.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string_view>

namespace boxoffice::storage {

// Throws std::invalid_argument with one line naming what is wrong with the setting.
std::unique_ptr<ObjectStore> open_object_store(std::string_view url,
                                               boost::asio::any_io_executor executor,
                                               BlockingPool& file_pool);

}  // namespace boxoffice::storage
