#include "app/config.hpp"

#include <toml++/toml.h>
#include <boost/asio/ip/address.hpp>

#include <unistd.h>
#include <charconv>

extern char** environ;

namespace boxoffice::app {
namespace {

constexpr std::string_view prefix = "BOXOFFICE_";

class UnknownSetting : public ConfigError {
 public:
  using ConfigError::ConfigError;
};

[[noreturn]] void bad(const std::string& name, const std::string& why) {
  throw ConfigError(name + ": " + why);
}

std::int64_t parse_integer(const std::string& name, const std::string& text, std::int64_t min,
                           std::int64_t max) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || ptr != end) {
    bad(name, "'" + text + "' is not an integer");
  }
  if (value < min || value > max) {
    bad(name, std::to_string(value) + " is out of range " + std::to_string(min) + ".." +
                  std::to_string(max));
  }
  return value;
}

std::chrono::milliseconds parse_ms(const std::string& name, const std::string& text) {
  return std::chrono::milliseconds{parse_integer(name, text, 1, 3'600'000)};
}

void parse_listen(const std::string& name, const std::string& text, Config& config) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    bad(name, "'" + text + "' must be HOST:PORT");
  }
  auto host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code error;
  boost::asio::ip::make_address(host, error);
  if (error) {
    bad(name, "'" + host + "' is not an IP address");
  }
  config.listen_host = host;
  config.listen_port =
      static_cast<unsigned short>(parse_integer(name, text.substr(colon + 1), 0, 65535));
}

void check_database_url(const std::string& name, const std::string& url) {
  if (url.starts_with("sqlite:")) {
    if (url.size() == std::string_view{"sqlite:"}.size()) {
      bad(name, "sqlite: needs a path, e.g. sqlite:./data/boxoffice.db");
    }
    return;
  }
  if (url.starts_with("mysql://")) {
    return;
  }
  bad(name, "'" + url.substr(0, url.find(':')) + "' is not supported; use sqlite:PATH or mysql://");
}

std::vector<std::string> split_addresses(const std::string& name, const std::string& text) {
  std::vector<std::string> addresses;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    auto item = text.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) {
      boost::system::error_code error;
      boost::asio::ip::make_address(item, error);
      if (error) {
        bad(name, "'" + item + "' is not an IP address");
      }
      addresses.push_back(item);
    }
    start = comma + 1;
  }
  return addresses;
}

// An absolute http(s) URL without a query, kept without its trailing '/'.
std::string base_url(const std::string& name, std::string value) {
  if (!value.starts_with("http://") && !value.starts_with("https://")) {
    bad(name, "must be an http:// or https:// URL");
  }
  if (value.find_first_of("?# ") != std::string::npos) {
    bad(name, "must not have a query, a fragment or spaces");
  }
  while (value.ends_with('/')) {
    value.pop_back();
  }
  return value;
}

// Applies one setting by its short name (e.g. "listen"); unknown names are an error so
// that a typo in a file is not silently ignored.
void apply(Config& config, const std::string& key, const std::string& value,
           const std::string& origin) {
  auto& limits = config.limits;
  if (key == "listen") {
    parse_listen(origin, value, config);
  } else if (key == "database_url") {
    check_database_url(origin, value);
    config.database_url = value;
  } else if (key == "redis_url") {
    if (!value.starts_with("redis://")) {
      bad(origin, "must start with redis://");
    }
    config.redis_url = value;
  } else if (key == "storage_url") {
    if (!value.starts_with("file:") && !value.starts_with("s3://")) {
      bad(origin, "must be file:PATH or s3://BUCKET?endpoint=URL&region=R");
    }
    config.storage_url = value;
  } else if (key == "web_root") {
    // Named on purpose: a folder that is not there is then a mistake, not a choice.
    config.web_root = value;
    config.web_root_required = !value.empty();
  } else if (key == "public_url") {
    config.public_url = base_url(origin, value);
  } else if (key == "poster_url") {
    config.poster_url = base_url(origin, value);
  } else if (key == "image_workers") {
    config.image_workers = static_cast<std::size_t>(parse_integer(origin, value, 1, 64));
  } else if (key == "image_queue") {
    config.image_queue = static_cast<std::size_t>(parse_integer(origin, value, 0, 1000));
  } else if (key == "poster_retire_seconds") {
    config.poster_retire_grace =
        std::chrono::seconds{parse_integer(origin, value, 0, 365LL * 86400)};
  } else if (key == "poster_sweep_interval_ms") {
    config.poster_sweep_interval = parse_ms(origin, value);
  } else if (key == "secret_key_file") {
    config.secret_key_file = value;
  } else if (key == "trusted_proxies") {
    config.trusted_proxies = split_addresses(origin, value);
  } else if (key == "max_connections") {
    limits.max_connections = static_cast<std::size_t>(parse_integer(origin, value, 1, 1'000'000));
  } else if (key == "max_inflight") {
    limits.max_inflight = static_cast<std::size_t>(parse_integer(origin, value, 1, 100'000));
  } else if (key == "header_timeout_ms") {
    limits.header_timeout = parse_ms(origin, value);
  } else if (key == "body_timeout_ms") {
    limits.body_timeout = parse_ms(origin, value);
  } else if (key == "idle_timeout_ms") {
    limits.idle_timeout = parse_ms(origin, value);
  } else if (key == "write_timeout_ms") {
    limits.write_timeout = parse_ms(origin, value);
  } else if (key == "shutdown_delay_ms") {
    limits.shutdown_delay = std::chrono::milliseconds{parse_integer(origin, value, 0, 600'000)};
  } else if (key == "shutdown_timeout_ms") {
    limits.shutdown_timeout = parse_ms(origin, value);
  } else if (key == "io_threads") {
    config.io_threads = static_cast<std::size_t>(parse_integer(origin, value, 1, 256));
  } else if (key == "database_commit_batch") {
    config.database_commit_batch = static_cast<std::size_t>(parse_integer(origin, value, 1, 1000));
  } else if (key == "database_threads") {
    config.database_threads = static_cast<std::size_t>(parse_integer(origin, value, 1, 256));
  } else if (key == "password_threads") {
    config.password_threads = static_cast<std::size_t>(parse_integer(origin, value, 1, 64));
  } else if (key == "session_ttl_seconds") {
    config.session_ttl = std::chrono::seconds{parse_integer(origin, value, 1, 90LL * 86400)};
  } else if (key == "login_max_failures_per_account") {
    config.login_max_failures_per_account = static_cast<int>(parse_integer(origin, value, 1, 1000));
  } else if (key == "login_max_failures_per_address") {
    config.login_max_failures_per_address =
        static_cast<int>(parse_integer(origin, value, 1, 100000));
  } else if (key == "login_window_seconds") {
    config.login_window = std::chrono::seconds{parse_integer(origin, value, 1, 86400)};
  } else if (key == "password_hash_cost") {
    if (value != "min" && value != "interactive") {
      bad(origin, "must be 'interactive' or 'min'");
    }
    config.password_hash_minimum = value == "min";
  } else if (key == "reconcile_interval_ms") {
    config.reconcile_interval = parse_ms(origin, value);
  } else if (key == "repair_interval_ms") {
    config.repair_interval = parse_ms(origin, value);
  } else if (key == "repair_min_age_ms") {
    config.repair_min_age = std::chrono::milliseconds{parse_integer(origin, value, 0, 86'400'000)};
  } else if (key == "user_cache_ttl_ms") {
    config.user_cache_ttl = std::chrono::milliseconds{parse_integer(origin, value, 0, 3'600'000)};
  } else if (key == "catalog_ttl_ms") {
    config.catalog_ttl = std::chrono::milliseconds{parse_integer(origin, value, 0, 3'600'000)};
  } else if (key == "payments_ledger") {
    config.payments_ledger = value;
  } else if (key == "test_payment_latency_ms") {
    config.test_payment_latency =
        std::chrono::milliseconds{parse_integer(origin, value, 0, 60'000)};
  } else if (key == "test_payment_failure_percent") {
    config.test_payment_failure_rate =
        static_cast<double>(parse_integer(origin, value, 0, 100)) / 100.0;
  } else if (key == "log_level") {
    if (value != "trace" && value != "debug" && value != "info" && value != "warn" &&
        value != "error") {
      bad(origin, "must be one of trace, debug, info, warn, error");
    }
    config.log_level = value;
  } else {
    throw UnknownSetting(origin + ": is not a known setting");
  }
}

std::string lower(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

std::string toml_value_text(const toml::node& node, const std::string& origin) {
  if (const auto* text = node.as_string()) {
    return text->get();
  }
  if (const auto* integer = node.as_integer()) {
    return std::to_string(integer->get());
  }
  if (const auto* array = node.as_array()) {
    std::string joined;
    for (const auto& item : *array) {
      if (!item.is_string()) {
        bad(origin, "must be a list of strings");
      }
      joined += (joined.empty() ? "" : ",") + item.as_string()->get();
    }
    return joined;
  }
  bad(origin, "must be a string, an integer or a list of strings");
}

}  // namespace

Config load_config(const std::map<std::string, std::string>& environment,
                   const std::optional<std::string>& file) {
  Config config;
  if (file) {
    toml::table table;
    try {
      table = toml::parse_file(*file);
    } catch (const toml::parse_error& error) {
      throw ConfigError("config file " + *file + ": " + std::string{error.description()});
    }
    for (const auto& [key, node] : table) {
      const std::string name{key.str()};
      apply(config, name, toml_value_text(node, *file + ": " + name), *file + ": " + name);
    }
  }
  for (const auto& [name, value] : environment) {
    if (!name.starts_with(prefix) || name == "BOXOFFICE_PASSWORD" || name == "BOXOFFICE_CONFIG") {
      continue;
    }
    try {
      apply(config, lower(name.substr(prefix.size())), value, name);
    } catch (const UnknownSetting&) {
      // Other tools share the prefix (scripts, test harnesses); a file typo still fails.
      config.ignored_variables.push_back(name);
    }
  }
  return config;
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text{*entry};
    const auto equals = text.find('=');
    if (equals != std::string_view::npos) {
      environment.emplace(text.substr(0, equals), text.substr(equals + 1));
    }
  }
  return environment;
}

}  // namespace boxoffice::app
