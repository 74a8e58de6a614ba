// Parsing of mysql:// URLs. Written by hand rather than with a general URL parser so that
// every refusal can say exactly which part is wrong without echoing the secret.
#include "store/mysql/mysql_url.hpp"

#include "common/percent_decode.hpp"

#include <charconv>
#include <stdexcept>

namespace boxoffice::store::mysql {
namespace {

constexpr std::string_view scheme = "mysql://";
constexpr std::string_view expected_form = "expected mysql://USER:PASSWORD@HOST:PORT/DB";

[[noreturn]] void invalid(std::string_view why) {
  throw std::invalid_argument("invalid mysql URL: " + std::string{why} + " (" +
                              std::string{expected_form} + ")");
}

std::string percent_decode(std::string_view text, std::string_view part) {
  auto decoded = boxoffice::percent_decode(text);
  if (!decoded) {
    invalid("the " + std::string{part} + " has a '%' not followed by two hex digits");
  }
  return std::move(*decoded);
}

std::uint16_t parse_port(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value == 0 ||
      value > 65535) {
    invalid("the port must be a number from 1 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string MysqlUrl::redacted() const {
  const bool bare_ipv6 = host.find(':') != std::string::npos;
  return std::string{scheme} + user + ":***@" + (bare_ipv6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port) + "/" + database;
}

MysqlUrl parse_mysql_url(std::string_view url) {
  if (!url.starts_with(scheme)) {
    invalid("it must start with mysql://");
  }
  const auto rest = url.substr(scheme.size());
  // The last '@' ends the credentials, so a password with an unencoded '@' still parses.
  const auto at = rest.rfind('@');
  if (at == std::string_view::npos) {
    invalid("the user is missing (no '@')");
  }
  const auto credentials = rest.substr(0, at);
  const auto location = rest.substr(at + 1);

  MysqlUrl parsed;
  const auto colon = credentials.find(':');
  parsed.user = percent_decode(credentials.substr(0, colon), "user");
  if (colon != std::string_view::npos) {
    parsed.password = percent_decode(credentials.substr(colon + 1), "password");
  }
  if (parsed.user.empty()) {
    invalid("the user is empty");
  }

  const auto slash = location.find('/');
  if (slash == std::string_view::npos) {
    invalid("the database name is missing (no '/DB')");
  }
  const auto authority = location.substr(0, slash);
  const auto path = location.substr(slash + 1);
  if (path.find_first_of("?#") != std::string_view::npos) {
    invalid("options after '?' are not supported");
  }
  parsed.database = percent_decode(path, "database name");
  if (parsed.database.empty() || parsed.database.find('/') != std::string::npos) {
    invalid("the database name must be one non-empty path segment");
  }

  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      invalid("an IPv6 host needs its closing ']'");
    }
    host = authority.substr(1, close - 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        invalid("unexpected text after the IPv6 host");
      }
      port = after.substr(1);
      if (port.empty()) {
        invalid("the port is empty");
      }
    }
  } else if (const auto port_colon = authority.rfind(':'); port_colon != std::string_view::npos) {
    host = authority.substr(0, port_colon);
    port = authority.substr(port_colon + 1);
    if (port.empty()) {
      invalid("the port is empty");
    }
  }
  if (host.empty()) {
    invalid("the host is empty");
  }
  parsed.host = std::string{host};
  if (!port.empty()) {
    parsed.port = parse_port(port);
  }
  return parsed;
}

}  // namespace boxoffice::store::mysql
