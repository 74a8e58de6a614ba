// libFuzzer target: raw bytes through the HTTP parser, the router and every handler, with
// the embedded stores behind them. Any crash, sanitizer report or 5xx answer is a finding.
#include "app/application.hpp"
#include "common/run_sync.hpp"
#include "http/server.hpp"

#include <boost/beast/http/parser.hpp>

#include <cstdlib>
#include <filesystem>

namespace {

using namespace boxoffice;

app::Config fuzz_config() {
  app::Config config;
  const auto folder = std::filesystem::temp_directory_path() / "boxoffice-fuzz";
  std::filesystem::remove_all(folder);
  config.database_url = "sqlite:" + (folder / "boxoffice.db").string();
  config.password_hash_minimum = true;
  config.database_threads = 1;
  config.password_threads = 1;
  return config;
}

boost::asio::awaitable<http::Response> answer(const http::Router& router, http::Request& request) {
  co_return co_await router.dispatch(request);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const SystemClock clock;
  static const app::Config config = fuzz_config();
  static app::Application application{config, clock};
  const http::ServerLimits limits;
  boost::beast::http::request_parser<boost::beast::http::string_body> parser;
  parser.header_limit(limits.header_limit_bytes);
  parser.body_limit(limits.body_limit_bytes);
  parser.eager(true);
  boost::system::error_code error;
  parser.put(boost::asio::buffer(data, size), error);
  if (error || !parser.is_done()) {
    return 0;
  }
  http::Request request;
  request.message = parser.release();
  request.client_address = "127.0.0.1";
  request.request_id = "fuzz";
  const auto response = run_sync(answer(application.router(), request));
  if (response.result_int() >= 500 && response.result_int() != 501) {
    std::abort();
  }
  return 0;
}
