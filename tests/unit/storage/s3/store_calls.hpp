// What the S3 store's fault suites share: one io_context that runs each call to its end,
// and the message of the StorageUnavailable a call must end in.
#pragma once

#include "storage/object_store.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <string>

namespace boxoffice::storage::s3 {

class StoreCalls : public ::testing::Test {
 protected:
  template <typename T>
  T run(boost::asio::awaitable<T> work) {
    auto future = boost::asio::co_spawn(io_, std::move(work), boost::asio::use_future);
    io_.restart();
    io_.run();
    return future.get();
  }

  // The StorageUnavailable message of `work`, or a failure when it did not throw one.
  template <typename T>
  std::string unavailable_message(boost::asio::awaitable<T> work) {
    try {
      run(std::move(work));
    } catch (const StorageUnavailable& error) {
      return error.what();
    }
    ADD_FAILURE() << "no StorageUnavailable";
    return "";
  }

  boost::asio::io_context io_;
};

}  // namespace boxoffice::storage::s3
