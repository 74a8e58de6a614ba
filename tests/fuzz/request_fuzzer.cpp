// libFuzzer target: raw bytes through the HTTP parser, the router and every handler, with
// the embedded stores behind them. Any crash, sanitizer report or 5xx answer is a finding.
#include "api/routes.hpp"
#include "common/run_sync.hpp"
#include "http/response.hpp"
#include "http/server.hpp"
#include "store/memory/memory_rate_limiter.hpp"
#include "store/memory/memory_session_store.hpp"
#include "store/sqlite/sqlite_database.hpp"

#include <boost/beast/http/parser.hpp>

#include <cstdlib>

namespace {

using namespace boxoffice;

struct Fixture {
  SystemClock clock;
  store::sqlite::SqliteDatabase database{":memory:", 1};
  store::MemorySessionStore sessions{clock, std::chrono::seconds{60}, 10000};
  store::MemoryRateLimiter rate_limiter{clock, 10000};
  security::PasswordHasher hasher{security::HashCost::minimum};
  BlockingPool password_pool{"passwords", 1};
  http::Metrics metrics;
  api::Services services{
      .clock = clock,
      .database = database,
      .sessions = sessions,
      .rate_limiter = rate_limiter,
      .password_hasher = hasher,
      .password_pool = password_pool,
      .metrics = metrics,
      .login_throttle = {},
      .draining = [] { return false; },
      .readiness = {},
  };
  http::Router router = api::build_router(services);

  Fixture() { database.migrate(); }
};

boost::asio::awaitable<http::Response> answer(Fixture& fixture, http::Request& request) {
  co_return co_await fixture.router.dispatch(request);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
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
  const auto response = run_sync(answer(fixture, request));
  if (response.result_int() >= 500) {
    std::abort();
  }
  return 0;
}
