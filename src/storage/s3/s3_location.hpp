// Where the bucket is and how to reach it, from BOXOFFICE_STORAGE_URL:
//   s3://BUCKET[?endpoint=URL][&region=R][&addressing=path|virtual][&prefix=FOLDER]
// Without an endpoint it is AWS itself (https://s3.REGION.amazonaws.com, virtual-hosted
// addressing); with one, any S3-compatible service, path-style unless told otherwise.
// The keys come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
#pragma once

#include "storage/s3/sigv4.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace boxoffice::storage::s3 {

enum class Addressing {
  // https://endpoint/BUCKET/KEY: works with any host, including an IP address.
  path,
  // https://BUCKET.endpoint/KEY: what AWS prefers; needs a host name.
  virtual_hosted,
};

struct S3Location {
  std::string bucket;
  bool tls = true;
  // The endpoint's host (a name, or an address; IPv6 without brackets) and port.
  std::string endpoint_host;
  std::uint16_t port = 443;
  std::string region = "us-east-1";
  Addressing addressing = Addressing::virtual_hosted;
  // Empty, or a folder ending in '/' that every key is put under.
  std::string prefix;

  // The host to connect to and to send (and sign) in the Host header.
  [[nodiscard]] std::string connect_host() const;
  [[nodiscard]] std::string host_header() const;
  // The request path of an object, percent-encoded, prefix included.
  [[nodiscard]] std::string object_path(std::string_view key) const;
  // "https://s3.eu-west-1.amazonaws.com", for messages.
  [[nodiscard]] std::string endpoint_url() const;
  // "s3 bucket B at URL": for logs and errors, no secrets in it.
  [[nodiscard]] std::string describe() const;
};

// Throws std::invalid_argument with one line starting "BOXOFFICE_STORAGE_URL: " that
// names the part that is wrong.
S3Location parse_s3_location(std::string_view storage_url);

// Reads a variable of the environment: nullptr when unset.
using EnvironmentLookup = std::function<const char*(const char* name)>;

// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (required), AWS_SESSION_TOKEN (optional).
// Throws std::invalid_argument naming the missing variable.
Credentials credentials_from_environment(const EnvironmentLookup& lookup);

}  // namespace boxoffice::storage::s3
