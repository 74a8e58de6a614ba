// The s3:// setting is parsed by hand so that each refusal names the part that is wrong;
// the endpoint inside it is a whole URL and goes through Boost.URL.
#include "storage/s3/s3_location.hpp"

#include "common/percent_decode.hpp"
#include "storage/object_store.hpp"

#include <boost/url/parse.hpp>

#include <charconv>
#include <set>
#include <stdexcept>

namespace boxoffice::storage::s3 {
namespace {

constexpr std::string_view scheme = "s3://";
constexpr std::string_view expected_form =
    "s3://BUCKET?endpoint=URL&region=R[&addressing=path|virtual][&prefix=FOLDER]";

[[noreturn]] void invalid(std::string_view why) {
  throw std::invalid_argument("BOXOFFICE_STORAGE_URL: " + std::string{why} + " (expected " +
                              std::string{expected_form} + ")");
}

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// S3's rules for new buckets: 3 to 63 of [a-z0-9.-], starting and ending with a letter or
// digit, no "..". Anything else could not be addressed in a host name.
void check_bucket(std::string_view bucket) {
  if (bucket.empty()) {
    invalid("the bucket name is missing after s3://");
  }
  bool allowed = bucket.size() >= 3 && bucket.size() <= 63 && lower_alnum(bucket.front()) &&
                 lower_alnum(bucket.back()) && bucket.find("..") == std::string_view::npos;
  for (const char c : bucket) {
    allowed = allowed && (lower_alnum(c) || c == '.' || c == '-');
  }
  if (!allowed) {
    invalid("bucket \"" + std::string{bucket} +
            "\" is not a valid bucket name (3 to 63 of a-z, 0-9, '.' and '-')");
  }
}

void check_region(std::string_view region) {
  bool allowed = !region.empty() && region.size() <= 64;
  for (const char c : region) {
    allowed = allowed && (lower_alnum(c) || c == '-');
  }
  if (!allowed) {
    invalid("region \"" + std::string{region} + "\" is not a region name such as eu-west-1");
  }
}

bool is_ip_address(std::string_view host) {
  if (host.find(':') != std::string_view::npos) {
    return true;
  }
  for (const char c : host) {
    if ((c < '0' || c > '9') && c != '.') {
      return false;
    }
  }
  return true;
}

void parse_endpoint(std::string_view endpoint, S3Location& location) {
  const auto url = boost::urls::parse_absolute_uri(endpoint);
  const std::string shown{endpoint};
  if (!url) {
    invalid("endpoint \"" + shown + "\" is not a URL");
  }
  if (url->scheme() != "http" && url->scheme() != "https") {
    invalid("endpoint \"" + shown + "\" must start with http:// or https://");
  }
  location.tls = url->scheme() == "https";
  if (!url->has_authority() || url->encoded_host().empty()) {
    invalid("endpoint \"" + shown + "\" has no host");
  }
  if (url->has_userinfo()) {
    invalid("endpoint \"" + shown + "\" must not hold credentials; use AWS_ACCESS_KEY_ID");
  }
  if ((!url->encoded_path().empty() && url->encoded_path() != "/") || url->has_query() ||
      url->has_fragment()) {
    invalid("endpoint \"" + shown + "\" must be only scheme, host and port");
  }
  location.endpoint_host = url->host_address();
  location.port = location.tls ? 443 : 80;
  if (url->has_port()) {
    const auto port = url->port();
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || error != std::errc{} || end != port.data() + port.size() || value == 0 ||
        value > 65535) {
      invalid("endpoint \"" + shown + "\" has a port that is not a number from 1 to 65535");
    }
    location.port = static_cast<std::uint16_t>(value);
  }
}

std::string parse_prefix(std::string_view prefix) {
  while (prefix.ends_with('/')) {
    prefix.remove_suffix(1);
  }
  if (prefix.empty()) {
    return {};
  }
  if (!valid_object_key(prefix)) {
    invalid("prefix \"" + std::string{prefix} +
            "\" must be folder names of a-z, 0-9, '.', '_' and '-' separated by '/'");
  }
  return std::string{prefix} + '/';
}

[[noreturn]] void needs_value(const std::string& name) {
  invalid("setting \"" + name + "\" needs a value (" + name + "=...)");
}

std::string decode(std::string_view text, std::string_view name) {
  auto decoded = percent_decode(text);
  if (!decoded) {
    invalid(std::string{name} + " has a '%' not followed by two hex digits");
  }
  return std::move(*decoded);
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? '[' + host + ']' : host;
}

}  // namespace

std::string S3Location::connect_host() const {
  return addressing == Addressing::virtual_hosted ? bucket + '.' + endpoint_host : endpoint_host;
}

std::string S3Location::host_header() const {
  const bool default_port = port == (tls ? 443 : 80);
  auto host = addressing == Addressing::virtual_hosted ? connect_host() : bracketed(endpoint_host);
  return default_port ? host : host + ':' + std::to_string(port);
}

std::string S3Location::object_path(std::string_view key) const {
  const auto encoded_key = uri_encode_path(prefix + std::string{key});
  return addressing == Addressing::virtual_hosted ? '/' + encoded_key
                                                  : '/' + bucket + '/' + encoded_key;
}

std::string S3Location::endpoint_url() const {
  const bool default_port = port == (tls ? 443 : 80);
  return std::string{tls ? "https://" : "http://"} + bracketed(endpoint_host) +
         (default_port ? "" : ':' + std::to_string(port));
}

std::string S3Location::describe() const {
  return "s3 bucket " + bucket + " at " + endpoint_url() +
         (prefix.empty() ? "" : " under " + prefix);
}

S3Location parse_s3_location(std::string_view storage_url) {
  if (!storage_url.starts_with(scheme)) {
    invalid("an S3 store's URL starts with s3://");
  }
  auto rest = storage_url.substr(scheme.size());
  const auto question = rest.find('?');
  const auto bucket = rest.substr(0, question);
  if (bucket.find('/') != std::string_view::npos) {
    invalid("nothing may follow the bucket name but ?settings; put a folder in prefix=FOLDER");
  }
  if (bucket.find('#') != std::string_view::npos || bucket.find('@') != std::string_view::npos) {
    invalid("the bucket name must be only the name, without '@' or '#'");
  }
  check_bucket(bucket);

  S3Location location;
  location.bucket = std::string{bucket};
  std::string endpoint;
  std::string addressing;
  std::set<std::string, std::less<>> seen;
  auto query = question == std::string_view::npos ? std::string_view{} : rest.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    const auto equals = pair.find('=');
    const std::string name{pair.substr(0, equals)};
    if (equals == std::string_view::npos) {
      needs_value(name);
    }
    if (!seen.insert(name).second) {
      invalid("setting \"" + name + "\" is given twice");
    }
    auto value = decode(pair.substr(equals + 1), name);
    if (name == "endpoint") {
      endpoint = std::move(value);
    } else if (name == "region") {
      location.region = std::move(value);
    } else if (name == "addressing") {
      addressing = std::move(value);
    } else if (name == "prefix") {
      location.prefix = parse_prefix(value);
    } else {
      invalid("unknown setting \"" + name + "\"; known: endpoint, region, addressing, prefix");
    }
  }

  check_region(location.region);
  if (endpoint.empty()) {
    location.tls = true;
    location.endpoint_host = "s3." + location.region + ".amazonaws.com";
    location.port = 443;
  } else {
    parse_endpoint(endpoint, location);
  }

  if (addressing.empty()) {
    location.addressing = endpoint.empty() ? Addressing::virtual_hosted : Addressing::path;
  } else if (addressing == "path") {
    location.addressing = Addressing::path;
  } else if (addressing == "virtual") {
    location.addressing = Addressing::virtual_hosted;
  } else {
    invalid("addressing must be path or virtual, not \"" + addressing + "\"");
  }
  if (location.addressing == Addressing::virtual_hosted && is_ip_address(location.endpoint_host)) {
    invalid(
        "addressing=virtual puts the bucket in the host name, so the endpoint needs a name, "
        "not an address; use addressing=path");
  }
  return location;
}

Credentials credentials_from_environment(const EnvironmentLookup& lookup) {
  const auto required = [&lookup](const char* name) {
    const char* value = lookup(name);
    if (value == nullptr || *value == '\0') {
      throw std::invalid_argument(std::string{name} +
                                  " is not set; an s3:// BOXOFFICE_STORAGE_URL needs "
                                  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    return std::string{value};
  };
  Credentials credentials{.access_key_id = required("AWS_ACCESS_KEY_ID"),
                          .secret_access_key = required("AWS_SECRET_ACCESS_KEY"),
                          .session_token = {}};
  if (const char* token = lookup("AWS_SESSION_TOKEN"); token != nullptr) {
    credentials.session_token = token;
  }
  return credentials;
}

}  // namespace boxoffice::storage::s3
