// Runs one awaitable to completion on a private io_context, for command-line paths and
// start-up steps that have no server loop of their own.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace boxoffice {

template <typename T>
T run_sync(boost::asio::awaitable<T> work) {
  boost::asio::io_context io;
  auto future = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  io.run();
  return future.get();
}

}  // namespace boxoffice
