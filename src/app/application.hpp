// Everything that serves requests, built from the configuration: stores, services and
// the router. `serve` puts a network server in front of it; the fuzzer calls the router.
#pragma once

#include "api/services.hpp"
#include "app/config.hpp"
#include "app/stores.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "payments/payment_gateway.hpp"
#include "posters/poster_service.hpp"
#include "sales/availability_history.hpp"
#include "storage/object_store.hpp"
#include "store/cached_users.hpp"
#include "web/static_site.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <filesystem>
#include <memory>
#include <vector>

namespace boxoffice::app {

class Application {
 public:
  // Opens and migrates the database and repairs orders left pending; throws ConfigError
  // naming the setting when a backend cannot be used.
  Application(const Config& config, const Clock& clock);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  [[nodiscard]] api::Services& services() { return *services_; }
  [[nodiscard]] const http::Router& router() const { return router_; }
  [[nodiscard]] http::Metrics& metrics() { return metrics_; }
  [[nodiscard]] store::Database& database() { return *database_; }
  [[nodiscard]] const security::PasswordHasher& password_hasher() const { return *hasher_; }
  [[nodiscard]] const std::filesystem::path& data_directory() const { return data_dir_; }

  // Gives each event loop connections of its own to the shared stores, where they are a
  // separate server (Redis). Detach once the loops have stopped, before they are destroyed.
  void attach_event_loops(const std::vector<boost::asio::io_context*>& loops);
  void detach_event_loops();

  // Marks the application as shutting down: /readyz answers 503 from then on.
  void begin_draining() { draining_ = true; }

  // The periodic work: hold expiry and the order repair sweep.
  boost::asio::awaitable<void> expire_holds();
  boost::asio::awaitable<void> repair_orders();
  boost::asio::awaitable<void> reconcile_sold_seats();
  boost::asio::awaitable<void> sweep_retired_posters();

 private:
  const Config& config_;
  std::filesystem::path data_dir_;
  std::unique_ptr<store::Database> database_;
  SharedStores shared_;
  std::unique_ptr<security::PasswordHasher> hasher_;
  std::unique_ptr<BlockingPool> password_pool_;
  http::Metrics metrics_;
  std::unique_ptr<tickets::TicketSigner> ticket_signer_;
  std::unique_ptr<payments::PaymentGateway> gateway_;
  std::unique_ptr<sales::Catalog> catalog_;
  std::unique_ptr<sales::OrderService> orders_;
  // Network I/O of the object store (S3) and file work of the folder store.
  boost::asio::thread_pool storage_io_{1};
  std::unique_ptr<BlockingPool> file_pool_;
  std::unique_ptr<storage::ObjectStore> objects_;
  std::unique_ptr<posters::ImageWorkers> image_workers_;
  std::unique_ptr<posters::PosterService> posters_;
  std::atomic<bool> draining_{false};
  std::unique_ptr<store::CachedUsers> users_;
  std::unique_ptr<web::StaticSite> site_;
  std::unique_ptr<sales::AvailabilityHistory> availability_history_;
  std::unique_ptr<api::Services> services_;
  http::Router router_;
};

std::filesystem::path data_directory_of(const Config& config);

}  // namespace boxoffice::app
