// Parsing of redis:// URLs, by hand so that every refusal says which part is wrong without
// echoing the secret.
#include "store/redis/redis_url.hpp"

#include "common/percent_decode.hpp"

#include <charconv>
#include <stdexcept>

namespace boxoffice::store::redis {
namespace {

constexpr std::string_view scheme = "redis://";
constexpr std::string_view expected_form = "expected redis://[USER:PASSWORD@]HOST[:PORT][/DB]";

[[noreturn]] void invalid(std::string_view why) {
  throw std::invalid_argument("invalid redis URL: " + std::string{why} + " (" +
                              std::string{expected_form} + ")");
}

std::string percent_decode(std::string_view text, std::string_view part) {
  auto decoded = boxoffice::percent_decode(text);
  if (!decoded) {
    invalid("the " + std::string{part} + " has a '%' not followed by two hex digits");
  }
  return std::move(*decoded);
}

template <typename Number>
bool parse_number(std::string_view text, Number& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc{} && end == text.data() + text.size();
}

std::uint16_t parse_port(std::string_view text) {
  unsigned value = 0;
  if (!parse_number(text, value) || value == 0 || value > 65535) {
    invalid("the port must be a number from 1 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

void parse_authority(std::string_view authority, RedisUrl& parsed) {
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
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) {
      invalid("the port is empty");
    }
  }
  if (host.empty()) {
    invalid("the host is missing");
  }
  parsed.host = std::string{host};
  if (!port.empty()) {
    parsed.port = parse_port(port);
  }
}

}  // namespace

std::string RedisUrl::redacted() const {
  const bool bare_ipv6 = host.find(':') != std::string::npos;
  std::string text{scheme};
  if (!user.empty() || !password.empty()) {
    text += user + ":***@";
  }
  text += bare_ipv6 ? "[" + host + "]" : host;
  return text + ":" + std::to_string(port) + "/" + std::to_string(database);
}

RedisUrl parse_redis_url(std::string_view url) {
  if (!url.starts_with(scheme)) {
    invalid("it must start with redis:// (rediss:// and unix sockets are not supported)");
  }
  auto rest = url.substr(scheme.size());
  RedisUrl parsed;
  // The last '@' ends the credentials, so a password with an unencoded '@' still parses.
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const auto credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = credentials.find(':');
    if (colon == std::string_view::npos) {
      invalid("credentials need a ':' before the password (redis://:PASSWORD@HOST)");
    }
    parsed.user = percent_decode(credentials.substr(0, colon), "user");
    parsed.password = percent_decode(credentials.substr(colon + 1), "password");
    if (parsed.password.empty()) {
      invalid("the password is empty");
    }
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    invalid("options after '?' are not supported");
  }
  const auto slash = rest.find('/');
  parse_authority(rest.substr(0, slash), parsed);
  if (slash != std::string_view::npos) {
    const auto path = rest.substr(slash + 1);
    if (!path.empty() && (!parse_number(path, parsed.database) || parsed.database < 0)) {
      invalid("the database must be a number (0 when left out)");
    }
  }
  return parsed;
}

}  // namespace boxoffice::store::redis
