#include "app/application.hpp"

#include "api/routes.hpp"
#include "common/run_sync.hpp"
#include "payments/test_gateway.hpp"
#include "storage/storage_url.hpp"
#include "store/redis/redis_client.hpp"
#include "web/page_security.hpp"

#include <spdlog/spdlog.h>

#include <thread>

namespace boxoffice::app {
namespace {

std::unique_ptr<tickets::TicketSigner> load_ticket_signer(const Config& config,
                                                          const std::filesystem::path& data_dir) {
  try {
    if (config.secret_key_file) {
      return std::make_unique<tickets::TicketSigner>(
          tickets::TicketSigner::from_key_file(*config.secret_key_file, false));
    }
    return std::make_unique<tickets::TicketSigner>(
        tickets::TicketSigner::from_key_file(data_dir / "ticket-signing.key", true));
  } catch (const std::exception& error) {
    throw ConfigError(std::string{"BOXOFFICE_SECRET_KEY_FILE: "} + error.what());
  }
}

// The default folder is used when the front end was built there; a folder named in the
// configuration must be there.
std::unique_ptr<web::StaticSite> load_site(const Config& config) {
  if (config.web_root.empty()) {
    return nullptr;
  }
  try {
    auto site = web::StaticSite::load(config.web_root);
    spdlog::info("serving the web front end from {} ({} files)", config.web_root, site->size());
    return site;
  } catch (const std::exception& error) {
    if (config.web_root_required) {
      throw ConfigError(std::string{"BOXOFFICE_WEB_ROOT: "} + error.what());
    }
    spdlog::info("no web front end: {} (build it with scripts/build-web)", error.what());
    return nullptr;
  }
}

}  // namespace

std::filesystem::path data_directory_of(const Config& config) {
  constexpr std::string_view sqlite_prefix = "sqlite:";
  if (config.database_url.starts_with(sqlite_prefix)) {
    const std::filesystem::path database{config.database_url.substr(sqlite_prefix.size())};
    return database.has_parent_path() ? database.parent_path() : ".";
  }
  return "data";
}

Application::Application(const Config& config, const Clock& clock)
    : config_(config), data_dir_(data_directory_of(config)), database_(open_database(config)) {
  try {
    database_->migrate();
  } catch (const std::exception& error) {
    throw ConfigError(std::string{"BOXOFFICE_DATABASE_URL: migration failed: "} + error.what());
  }
  shared_ = open_shared_stores(config, clock, [this](std::string event_id) {
    return database_->orders().sold_seats(std::move(event_id));
  });
  try {
    run_sync(database_->ping());
    if (shared_.ping) {
      run_sync(shared_.ping());
    }
  } catch (const std::exception& error) {
    throw ConfigError(std::string{shared_.ping ? "BOXOFFICE_DATABASE_URL or BOXOFFICE_REDIS_URL"
                                               : "BOXOFFICE_DATABASE_URL"} +
                      ": not reachable: " + error.what());
  }
  hasher_ = std::make_unique<security::PasswordHasher>(
      config.password_hash_minimum ? security::HashCost::minimum : security::HashCost::interactive);
  password_pool_ = std::make_unique<BlockingPool>("passwords", config.password_threads);
  ticket_signer_ = load_ticket_signer(config, data_dir_);
  gateway_ = std::make_unique<payments::TestPaymentGateway>(
      clock, config.payments_ledger.value_or((data_dir_ / "payments.db").string()),
      payments::TestGatewayOptions{.latency = config.test_payment_latency,
                                   .failure_rate = config.test_payment_failure_rate,
                                   .fail_after_charge = false});
  users_ = std::make_unique<store::CachedUsers>(database_->users(), config.user_cache_ttl);
  catalog_ = std::make_unique<sales::Catalog>(database_->catalog(), clock, config.catalog_ttl,
                                              config.poster_base_url());
  file_pool_ = std::make_unique<BlockingPool>("files", 2);
  try {
    objects_ =
        storage::open_object_store(config.storage_url, storage_io_.get_executor(), *file_pool_);
  } catch (const std::invalid_argument& error) {
    throw ConfigError(error.what());
  }
  const auto image_threads =
      config.image_workers > 0 ? config.image_workers
                               : std::max<std::size_t>(1, std::thread::hardware_concurrency() / 2);
  image_workers_ = std::make_unique<posters::ImageWorkers>(image_threads, config.image_queue);
  posters_ = std::make_unique<posters::PosterService>(
      database_->catalog(), *objects_, *image_workers_, clock,
      posters::PosterSettings{
          .limits = {}, .retire_grace = config.poster_retire_grace, .sweep_batch = 100});
  orders_ = std::make_unique<sales::OrderService>(*database_, *shared_.inventory, *catalog_,
                                                  *gateway_, *ticket_signer_, clock, metrics_,
                                                  sales::OrderSettings{});
  availability_history_ = std::make_unique<sales::AvailabilityHistory>(clock);
  site_ = load_site(config);
  services_ = std::make_unique<api::Services>(api::Services{
      .clock = clock,
      .database = *database_,
      .users = *users_,
      .sessions = *shared_.sessions,
      .rate_limiter = *shared_.rate_limiter,
      .password_hasher = *hasher_,
      .password_pool = *password_pool_,
      .metrics = metrics_,
      .login_throttle = {.max_failures_per_account = config.login_max_failures_per_account,
                         .max_failures_per_address = config.login_max_failures_per_address,
                         .window = config.login_window},
      .catalog = *catalog_,
      .availability_history = *availability_history_,
      .inventory = *shared_.inventory,
      .orders = *orders_,
      .ticket_signer = *ticket_signer_,
      .posters = *posters_,
      .draining = [this] { return draining_.load(); },
      .readiness = {},
  });
  if (shared_.ping) {
    services_->readiness.emplace_back("redis", shared_.ping);
  }
  router_ = api::build_router(*services_);
  if (site_) {
    api::add_web_routes(router_, *site_, web::content_security_policy(config.poster_base_url()));
  }
  run_sync(orders_->repair(config.repair_min_age));
  run_sync(orders_->reconcile_sold_seats());
}

Application::~Application() = default;

void Application::attach_event_loops(const std::vector<boost::asio::io_context*>& loops) {
  if (shared_.redis) {
    shared_.redis->attach_event_loops(loops);
  }
}

void Application::detach_event_loops() {
  if (shared_.redis) {
    shared_.redis->detach_event_loops();
  }
}

boost::asio::awaitable<void> Application::expire_holds() {
  co_await shared_.inventory->expire_holds();
}

boost::asio::awaitable<void> Application::repair_orders() {
  co_await orders_->repair(config_.repair_min_age);
}

boost::asio::awaitable<void> Application::reconcile_sold_seats() {
  co_await orders_->reconcile_sold_seats();
}

boost::asio::awaitable<void> Application::sweep_retired_posters() {
  const auto removed = co_await posters_->sweep();
  if (removed > 0) {
    spdlog::info("removed {} files of replaced posters", removed);
  }
}

}  // namespace boxoffice::app
