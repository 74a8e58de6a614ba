// The `boxoffice` command: parses the command line and hands over; nothing else.
#include "app/config.hpp"
#include "app/keys_command.hpp"
#include "app/serve.hpp"
#include "app/stores.hpp"
#include "app/users_command.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

namespace {

std::optional<std::string> config_file(const std::string& flag) {
  if (!flag.empty()) {
    return flag;
  }
  // Read once at start, before any thread exists.
  if (const char* from_environment =
          std::getenv("BOXOFFICE_CONFIG")) {  // NOLINT(concurrency-mt-unsafe)
    return std::string{from_environment};
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace boxoffice::app;
  CLI::App cli{"Boxoffice: ticket sales for the on-sale rush"};
  cli.require_subcommand(1);
  std::string config_path;
  cli.add_option("--config", config_path, "TOML file adding to the BOXOFFICE_* variables");

  ServeOptions serve_options;
  auto* serve_command = cli.add_subcommand("serve", "Run the HTTP server");
  serve_command->add_flag("--demo", serve_options.demo,
                          "Create the demo admin account and print its credentials");

  cli.add_subcommand("migrate", "Bring the database schema up to date");

  AddUserRequest add_request;
  auto* users_command = cli.add_subcommand("users", "Manage accounts");
  users_command->require_subcommand(1);
  auto* add_command = users_command->add_subcommand(
      "add", "Create an account; the password comes from BOXOFFICE_PASSWORD or standard input");
  add_command->add_option("--email", add_request.email)->required();
  add_command->add_option("--name", add_request.name)->required();
  add_command->add_option("--role", add_request.role)->required();

  std::string key_path;
  auto* keys_command = cli.add_subcommand("keys", "Manage the ticket-signing key");
  keys_command->require_subcommand(1);
  auto* generate_command = keys_command->add_subcommand(
      "generate", "Create the key file shared by every instance (BOXOFFICE_SECRET_KEY_FILE)");
  generate_command->add_option("--out", key_path, "Where to write the key (mode 0600)")->required();

  CLI11_PARSE(cli, argc, argv);

  // Needs no configuration: it runs before any database or secret exists.
  if (generate_command->parsed()) {
    return generate_key(key_path, std::cout, std::cerr);
  }

  try {
    const auto config = load_config(process_environment(), config_file(config_path));
    if (serve_command->parsed()) {
      return serve(config, serve_options);
    }
    if (cli.got_subcommand("migrate")) {
      open_database(config)->migrate();
      std::cout << "schema is up to date\n";
      return 0;
    }
    if (add_command->parsed()) {
      return add_user(config, add_request, std::cin, std::cout, std::cerr);
    }
  } catch (const ConfigError& error) {
    std::cerr << "boxoffice: " << error.what() << '\n';
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "boxoffice: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
