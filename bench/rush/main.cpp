// boxoffice-rush: a load generator for Boxoffice that speaks only the public HTTP contract.
// `setup` makes an event and buyers, `sellout`, `hot` and `browse` load the server, and
// `verify` checks afterwards that the contract's promises held.
#include "rush/browse.hpp"
#include "rush/hot.hpp"
#include "rush/sellout.hpp"
#include "rush/setup.hpp"
#include "rush/verify.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>

namespace {

using namespace boxoffice::rush;

struct Common {
  std::string state_path = "rush-state.json";
  std::string json_path;
  std::string url;
  std::size_t connections = 256;
  std::size_t threads = 2;
  std::size_t source_addresses = 0;
  std::int64_t timeout_ms = 10'000;
  std::uint64_t seed = 0;
};

void add_common(CLI::App& command, Common& common, bool load) {
  command.add_option("--state", common.state_path, "state file written by setup")
      ->capture_default_str();
  command.add_option("--json", common.json_path, "also write the report as JSON to this file");
  command
      .add_option("--url", common.url,
                  load ? "server base URL (default: the one in the state file)"
                       : "server base URL, e.g. http://127.0.0.1:8080")
      ->capture_default_str();
  command.add_option("--connections", common.connections, "keep-alive connections, in total")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000));
  command.add_option("--threads", common.threads, "worker threads, each with its own event loop")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  command
      .add_option("--source-addresses", common.source_addresses,
                  "spread connections over 127.0.0.2 .. 127.0.0.(N+1)")
      ->check(CLI::Range(0, 253));
  command.add_option("--timeout-ms", common.timeout_ms, "per request")
      ->capture_default_str()
      ->check(CLI::Range(1, 600'000));
  command.add_option("--seed", common.seed, "random seed (default: a new one each run)");
}

RunOptions run_options(const Common& common, const std::string& state_url) {
  RunOptions run;
  run.url = !common.url.empty() ? common.url : state_url;
  if (run.url.empty()) {
    run.url = "http://127.0.0.1:8080";
  }
  run.connections = common.connections;
  run.threads = common.threads;
  run.source_addresses = common.source_addresses;
  run.timeout = std::chrono::milliseconds{common.timeout_ms};
  run.seed = common.seed;
  return run;
}

// The base URL the state file was made against, so that runs need not repeat it.
std::string state_url(const std::string& path) {
  try {
    return load_state(path).url;
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"boxoffice-rush: load generator and checker for a Boxoffice server"};
  app.require_subcommand(1);

  Common setup_common;
  SetupOptions setup;
  auto* setup_command =
      app.add_subcommand("setup", "create a venue, an event on sale and customer accounts");
  add_common(*setup_command, setup_common, false);
  setup_command->add_option("--admin-email", setup.admin_email, "an admin account")->required();
  setup_command
      ->add_option("--admin-password", setup.admin_password,
                   "its password (default: $BOXOFFICE_PASSWORD)")
      ->envname("BOXOFFICE_PASSWORD");
  setup_command->add_option("--seats", setup.seats, "seats in the venue")->capture_default_str();
  setup_command->add_option("--sections", setup.sections, "sections")->capture_default_str();
  setup_command->add_option("--rows", setup.rows_per_section, "rows per section")
      ->capture_default_str();
  setup_command->add_option("--categories", setup.categories, "price categories")
      ->capture_default_str();
  setup_command->add_option("--accounts", setup.accounts, "customer accounts to sign up")
      ->capture_default_str();
  setup_command->add_option("--hold-seconds", setup.hold_seconds, "the event's hold lifetime")
      ->capture_default_str();
  setup_command->add_option("--max-tickets", setup.max_tickets_per_order, "per order")
      ->capture_default_str();
  setup_command->add_option("--title", setup.title, "event title");

  Common sellout_common;
  SelloutOptions sellout;
  std::int64_t sellout_max_seconds = 600;
  auto* sellout_command = app.add_subcommand("sellout", "buy until every category is sold out");
  add_common(*sellout_command, sellout_common, true);
  sellout_command->add_option("--users", sellout.users, "buyers (default: every account)");
  sellout_command
      ->add_option("--release-percent", sellout.release_percent, "holds let go instead of bought")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  sellout_command
      ->add_option("--decline-percent", sellout.decline_percent,
                   "orders first paid with tok_declined")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  sellout_command->add_option("--max-quantity", sellout.max_quantity, "seats per hold, at most")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  sellout_command->add_option("--max-seconds", sellout_max_seconds, "give up after this long")
      ->capture_default_str();

  Common hot_common;
  HotOptions hot;
  std::int64_t hot_seconds = 30;
  auto* hot_command = app.add_subcommand("hot", "every buyer fights for the same few seats");
  add_common(*hot_command, hot_common, true);
  hot_command->add_option("--users", hot.users, "buyers (default: every account)");
  hot_command->add_option("--seats", hot.seats, "contested seats (K)")->capture_default_str();
  hot_command->add_option("--max-quantity", hot.max_quantity, "seats per hold, at most")
      ->capture_default_str();
  hot_command->add_option("--duration", hot_seconds, "seconds")->capture_default_str();

  Common browse_common;
  BrowseOptions browse;
  std::int64_t browse_seconds = 30;
  auto* browse_command = app.add_subcommand("browse", "read the catalogue and the seat map");
  add_common(*browse_command, browse_common, true);
  browse_command->add_option("--users", browse.users, "readers (default: number of accounts)");
  browse_command->add_option("--duration", browse_seconds, "seconds")->capture_default_str();
  browse_command->add_option("--list-percent", browse.list_percent, "share of GET /events")
      ->capture_default_str();
  browse_command
      ->add_option("--event-percent", browse.event_percent,
                   "share of GET /events/{id}; the seat map gets the rest")
      ->capture_default_str();
  bool full_seat_map = false;
  browse_command
      ->add_flag("--full-seat-map", full_seat_map,
                 "download every seat on each seat-map read, instead of the changes "
                 "since the version last seen")
      ->capture_default_str();

  Common verify_common;
  VerifyOptions verify;
  auto* verify_command = app.add_subcommand("verify", "check the contract's invariants");
  add_common(*verify_command, verify_common, true);
  verify_command->add_option("--database-url", verify.database_url,
                             "mysql://USER:PASSWORD@HOST:PORT/DB, sqlite:PATH or a file path");
  verify_command->add_option("--admin-email", verify.admin_email,
                             "to log in again if the saved admin session expired");
  verify_command
      ->add_option("--admin-password", verify.admin_password, "(default: $BOXOFFICE_PASSWORD)")
      ->envname("BOXOFFICE_PASSWORD");

  CLI11_PARSE(app, argc, argv);

  try {
    if (setup_command->parsed()) {
      if (setup.admin_password.empty()) {
        std::cerr << "setup: --admin-password or BOXOFFICE_PASSWORD is required\n";
        return 2;
      }
      setup.run = run_options(setup_common, "");
      setup.state_path = setup_common.state_path;
      setup.json_path = setup_common.json_path;
      return run_setup(setup);
    }
    if (sellout_command->parsed()) {
      sellout.run = run_options(sellout_common, state_url(sellout_common.state_path));
      sellout.state_path = sellout_common.state_path;
      sellout.json_path = sellout_common.json_path;
      sellout.max_duration = std::chrono::seconds{sellout_max_seconds};
      return run_sellout(sellout);
    }
    if (hot_command->parsed()) {
      hot.run = run_options(hot_common, state_url(hot_common.state_path));
      hot.state_path = hot_common.state_path;
      hot.json_path = hot_common.json_path;
      hot.duration = std::chrono::seconds{hot_seconds};
      return run_hot(hot);
    }
    if (browse_command->parsed()) {
      browse.run = run_options(browse_common, state_url(browse_common.state_path));
      browse.state_path = browse_common.state_path;
      browse.seat_map_deltas = !full_seat_map;
      browse.json_path = browse_common.json_path;
      browse.duration = std::chrono::seconds{browse_seconds};
      return run_browse(browse);
    }
    verify.run = run_options(verify_common, state_url(verify_common.state_path));
    verify.state_path = verify_common.state_path;
    verify.json_path = verify_common.json_path;
    return run_verify(verify);
  } catch (const std::exception& error) {
    std::cerr << "boxoffice-rush: " << error.what() << "\n";
    return 2;
  }
}
