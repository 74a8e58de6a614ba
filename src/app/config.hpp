// Configuration: the contract's BOXOFFICE_* environment variables, optionally added to by
// a TOML file. Every value is checked here, so a bad setting stops `serve` at start with
// one line naming it.
#pragma once

#include "http/server.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace boxoffice::app {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Config {
  std::string listen_host = "127.0.0.1";
  unsigned short listen_port = 8080;
  std::string database_url = "sqlite:./data/boxoffice.db";
  std::optional<std::string> redis_url;
  std::string storage_url = "file:./data/posters";
  // The built web front end; empty: none. The default is where the build puts it, used
  // only when it is there.
  std::string web_root = "web/dist";
  bool web_root_required = false;
  // Where users reach the service, e.g. https://tickets.example.com; empty: links are
  // paths on whatever host the page came from.
  std::string public_url;
  // Where poster files are fetched from when not from the public URL (a CDN's origin).
  std::optional<std::string> poster_url;
  // Image decoding threads (0: half the cores, at least one) and uploads that may wait.
  std::size_t image_workers = 0;
  std::size_t image_queue = 2;
  // How long a replaced poster's files are kept, and how often they are looked for.
  std::chrono::seconds poster_retire_grace{86400};
  std::chrono::milliseconds poster_sweep_interval{600000};
  std::optional<std::string> secret_key_file;
  std::vector<std::string> trusted_proxies;
  http::ServerLimits limits;
  std::size_t io_threads = 0;
  std::size_t database_threads = 4;
  // Orders confirmed per MariaDB commit at most (group commit); 1 turns grouping off.
  std::size_t database_commit_batch = 64;
  std::size_t password_threads = 2;
  std::chrono::seconds session_ttl{86400};
  int login_max_failures_per_account = 5;
  int login_max_failures_per_address = 20;
  std::chrono::seconds login_window{300};
  bool password_hash_minimum = false;
  std::string log_level = "info";
  // Orders left pending (a crash between charge and commit) are repaired once older than
  // the minimum age, at start and then every interval.
  std::chrono::milliseconds repair_interval{30000};
  std::chrono::milliseconds reconcile_interval{300000};
  std::chrono::milliseconds repair_min_age{30000};
  std::chrono::milliseconds catalog_ttl{2000};
  // How long an instance may answer from its copy of a user (role, name); 0: never.
  std::chrono::milliseconds user_cache_ttl{5000};
  // The built-in test payment provider: its ledger file and an added latency per charge.
  std::optional<std::string> payments_ledger;
  std::chrono::milliseconds test_payment_latency{0};
  // Probability that a call to the test provider fails as if it could not be reached.
  double test_payment_failure_rate = 0.0;
  // What poster URLs start with (then "/posters/<name>"): poster_url, else public_url.
  [[nodiscard]] std::string poster_base_url() const { return poster_url.value_or(public_url); }

  // BOXOFFICE_* variables that name no setting, reported at start.
  std::vector<std::string> ignored_variables;
};

// Reads `environment` (name → value) and, when given, the TOML file whose keys are the
// variable names without the BOXOFFICE_ prefix, lower-cased (e.g. `listen = "..."`).
// The environment wins over the file.
Config load_config(const std::map<std::string, std::string>& environment,
                   const std::optional<std::string>& file);

std::map<std::string, std::string> process_environment();

}  // namespace boxoffice::app
