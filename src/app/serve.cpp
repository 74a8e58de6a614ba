#include "app/serve.hpp"

#include "app/application.hpp"
#include "app/demo.hpp"
#include "common/on_scope_exit.hpp"
#include "common/run_sync.hpp"
#include "http/access_log.hpp"
#include "http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/resource.h>

#include <iostream>
#include <thread>

namespace boxoffice::app {
namespace {

namespace asio = boost::asio;

// A rush opens thousands of sockets; the default soft limit of 1024 would turn that into
// accept errors instead of fast 503s.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Runs one periodic step of the application until the io_context stops; a failing step is
// logged and tried again next time.
asio::awaitable<void> every(std::chrono::milliseconds period, std::string name,
                            Application& application,
                            asio::awaitable<void> (Application::*step)()) {
  asio::steady_timer timer{co_await asio::this_coro::executor};
  while (true) {
    timer.expires_after(period);
    co_await timer.async_wait(asio::use_awaitable);
    try {
      co_await (application.*step)();
    } catch (const std::exception& error) {
      http::log_event(spdlog::level::warn, "background step failed",
                      {{"step", name}, {"error", error.what()}});
    }
  }
}

}  // namespace

int serve(const Config& config, const ServeOptions& options) {
  http::configure_logging(spdlog::level::from_str(config.log_level));
  for (const auto& name : config.ignored_variables) {
    http::log_event(spdlog::level::warn, "ignored unknown setting", {{"variable", name}});
  }
  raise_open_file_limit();

  const SystemClock clock;
  Application application{config, clock};
  if (options.demo) {
    const auto demo = run_sync(seed_demo(application.database(), application.password_hasher(),
                                         application.data_directory(), clock));
    std::cerr << "Demo admin: " << demo.email << " / " << demo.password << '\n';
  }

  const auto io_threads = config.io_threads > 0
                              ? config.io_threads
                              : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  http::EventLoops loops{io_threads};
  application.attach_event_loops(loops.contexts());
  // Declared after the loops, so it runs before they are destroyed; by then they stopped.
  const OnScopeExit detach_from_loops{[&application] { application.detach_event_loops(); }};
  auto& io = loops.primary();
  const asio::ip::tcp::endpoint endpoint{asio::ip::make_address(config.listen_host),
                                         config.listen_port};
  std::unique_ptr<http::Server> server;
  try {
    server = std::make_unique<http::Server>(loops, endpoint, config.limits,
                                            http::TrustedProxies{config.trusted_proxies},
                                            application.router(), application.metrics());
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

  // Expired holds free their seats within a second of expires_at.
  asio::co_spawn(io,
                 every(std::chrono::milliseconds{250}, "expire holds", application,
                       &Application::expire_holds),
                 asio::detached);
  asio::co_spawn(
      io, every(config.repair_interval, "repair orders", application, &Application::repair_orders),
      asio::detached);
  // A full re-read of every listed event's sold seats: a safety net only (a restarted or
  // flushed Redis reloads its mirror by itself), and a heavy query at a stadium's scale.
  asio::co_spawn(io,
                 every(config.reconcile_interval, "reconcile sold seats", application,
                       &Application::reconcile_sold_seats),
                 asio::detached);
  asio::co_spawn(io,
                 every(config.poster_sweep_interval, "remove replaced posters", application,
                       &Application::sweep_retired_posters),
                 asio::detached);

  asio::signal_set signals{io, SIGINT, SIGTERM};
  signals.async_wait([&](boost::system::error_code error, int signal) {
    if (error) {
      return;
    }
    http::log_event(spdlog::level::info, "shutdown requested", {{"signal", signal}});
    application.begin_draining();
    server->shutdown([&loops] { loops.stop(); });
  });

  loops.run();
  http::log_event(spdlog::level::info, "stopped");
  return 0;
}

}  // namespace boxoffice::app
