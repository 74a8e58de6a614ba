#include "app/serve.hpp"

#include "api/routes.hpp"
#include "app/demo.hpp"
#include "app/stores.hpp"
#include "common/run_sync.hpp"
#include "http/access_log.hpp"
#include "http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <sys/resource.h>

#include <filesystem>
#include <iostream>
#include <thread>

namespace boxoffice::app {
namespace {

// A rush opens thousands of sockets; the default soft limit of 1024 would turn that into
// accept errors instead of fast 503s.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::filesystem::path data_directory(const Config& config) {
  constexpr std::string_view sqlite_prefix = "sqlite:";
  if (config.database_url.starts_with(sqlite_prefix)) {
    return std::filesystem::path{config.database_url.substr(sqlite_prefix.size())}.parent_path();
  }
  return "data";
}

}  // namespace

int serve(const Config& config, const ServeOptions& options) {
  namespace asio = boost::asio;
  http::configure_logging(spdlog::level::from_str(config.log_level));
  for (const auto& name : config.ignored_variables) {
    http::log_event(spdlog::level::warn, "ignored unknown setting", {{"variable", name}});
  }
  raise_open_file_limit();

  const SystemClock clock;
  auto database = open_database(config);
  try {
    database->migrate();
  } catch (const std::exception& error) {
    throw ConfigError(std::string{"BOXOFFICE_DATABASE_URL: migration failed: "} + error.what());
  }
  auto shared = open_shared_stores(config, clock);
  const security::PasswordHasher hasher{
      config.password_hash_minimum ? security::HashCost::minimum : security::HashCost::interactive};
  BlockingPool password_pool{"passwords", config.password_threads};
  http::Metrics metrics;

  if (options.demo) {
    const auto demo = run_sync(seed_demo(*database, hasher, data_directory(config)));
    std::cerr << "Demo admin: " << demo.email << " / " << demo.password << '\n';
  }

  const auto io_threads = config.io_threads > 0
                              ? config.io_threads
                              : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  asio::io_context io{static_cast<int>(io_threads)};
  std::unique_ptr<http::Server> server;
  api::Services services{
      .clock = clock,
      .database = *database,
      .sessions = *shared.sessions,
      .rate_limiter = *shared.rate_limiter,
      .password_hasher = hasher,
      .password_pool = password_pool,
      .metrics = metrics,
      .login_throttle = {.max_failures_per_account = config.login_max_failures_per_account,
                         .max_failures_per_address = config.login_max_failures_per_address,
                         .window = config.login_window},
      .draining = [&server] { return server && server->draining(); },
      .readiness = {},
  };
  const auto router = api::build_router(services);

  const asio::ip::tcp::endpoint endpoint{asio::ip::make_address(config.listen_host),
                                         config.listen_port};
  try {
    server = std::make_unique<http::Server>(
        io, endpoint, config.limits, http::TrustedProxies{config.trusted_proxies}, router, metrics);
  } catch (const boost::system::system_error& error) {
    throw ConfigError("BOXOFFICE_LISTEN: cannot listen on " + config.listen_host + ":" +
                      std::to_string(config.listen_port) + ": " + error.code().message());
  }
  server->start();
  const auto bound = server->local_endpoint();
  http::log_event(spdlog::level::info, "listening",
                  {{"address", bound.address().to_string() + ":" + std::to_string(bound.port())},
                   {"io_threads", io_threads},
                   {"database", config.database_url.substr(0, config.database_url.find(':'))}});

  asio::signal_set signals{io, SIGINT, SIGTERM};
  signals.async_wait([&](boost::system::error_code error, int signal) {
    if (error) {
      return;
    }
    http::log_event(spdlog::level::info, "shutdown requested", {{"signal", signal}});
    server->shutdown([&io] { io.stop(); });
  });

  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < io_threads; ++i) {
    threads.emplace_back([&io] { io.run(); });
  }
  io.run();
  for (auto& thread : threads) {
    thread.join();
  }
  http::log_event(spdlog::level::info, "stopped");
  return 0;
}

}  // namespace boxoffice::app
