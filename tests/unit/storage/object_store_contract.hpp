// The behaviour every ObjectStore must have, written once. A backend joins by instantiating
// the suite with a factory:
//   INSTANTIATE_TEST_SUITE_P(Folder, ObjectStoreContract, testing::Values(folder_factory()),
//                            [](const auto& suite) { return suite.param.name; });
#pragma once

#include "storage/object_store.hpp"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include <functional>
#include <future>
#include <memory>
#include <string>

namespace boxoffice::storage::testing {

struct StoreFactory {
  std::string name;
  // Builds a store with nothing in it that the test sees; `io` drives its network I/O.
  std::function<std::unique_ptr<ObjectStore>(boost::asio::io_context& io)> make;
};

class ObjectStoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam().make(io_); }

  // Runs `work` on this test's io_context until it finishes, rethrowing its exception.
  template <typename T>
  T run(boost::asio::awaitable<T> work);
  // Starts `work` without running it: several spawned tasks then run together in drain().
  template <typename T>
  std::future<T> spawn(boost::asio::awaitable<T> work);
  void drain() {
    io_.restart();
    io_.run();
  }

  ObjectStore& store() { return *store_; }

 private:
  boost::asio::io_context io_;
  std::unique_ptr<ObjectStore> store_;
};

}  // namespace boxoffice::storage::testing

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

template <typename T>
T boxoffice::storage::testing::ObjectStoreContract::run(boost::asio::awaitable<T> work) {
  auto future = boost::asio::co_spawn(io_, std::move(work), boost::asio::use_future);
  io_.restart();
  io_.run();
  return future.get();
}

template <typename T>
std::future<T> boxoffice::storage::testing::ObjectStoreContract::spawn(
    boost::asio::awaitable<T> work) {
  return boost::asio::co_spawn(io_, std::move(work), boost::asio::use_future);
}
