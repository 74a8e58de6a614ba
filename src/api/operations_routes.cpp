// /healthz, /readyz and /metrics: what load balancers and monitoring poll.
#include "api/routes.hpp"
#include "common/api_error.hpp"
#include "http/response.hpp"

namespace boxoffice::api {
namespace {

using boost::asio::awaitable;
using http::beast_http::verb;

awaitable<http::Response> readyz(Services& services) {
  if (services.draining()) {
    throw ApiError{503, "not_ready", "the server is shutting down"}.with_retry_after(1);
  }
  boost::json::object checks;
  bool ready = true;
  try {
    co_await services.database.ping();
    checks["database"] = "ok";
  } catch (const std::exception&) {
    checks["database"] = "unavailable";
    ready = false;
  }
  for (const auto& [name, check] : services.readiness) {
    try {
      co_await check();
      checks[name] = "ok";
    } catch (const std::exception&) {
      checks[name] = "unavailable";
      ready = false;
    }
  }
  if (!ready) {
    throw ApiError{503, "not_ready", "a backing store does not answer"}
        .with_retry_after(1)
        .with_extra("checks", checks);
  }
  co_return http::json_response(200, boost::json::object{{"status", "ok"}, {"checks", checks}});
}

}  // namespace

void add_operations_routes(http::Router& router, Services& services) {
  router.add(verb::get, "/healthz", [](http::Request&) -> awaitable<http::Response> {
    co_return http::json_response(200, boost::json::object{{"status", "ok"}});
  });
  router.add(verb::get, "/readyz", [&services](http::Request&) { return readyz(services); });
  router.add(verb::get, "/metrics", [&services](http::Request&) -> awaitable<http::Response> {
    co_return http::text_response(200, "text/plain; version=0.0.4", services.metrics.render());
  });
}

}  // namespace boxoffice::api
