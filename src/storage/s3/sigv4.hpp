// AWS Signature Version 4, the request signing of S3 and every other AWS service: pure
// functions from a request description, credentials and a time to the headers that
// authenticate it. No I/O, no state, so each step can be checked against AWS's published
// examples on its own (a bucket answers every mistake with the same SignatureDoesNotMatch;
// the intermediate strings say which line is wrong).
#pragma once

#include "common/clock.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace boxoffice::storage::s3 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  // Empty for long-term keys. Temporary credentials carry one; it travels, signed, as
  // x-amz-security-token.
  std::string session_token;
};

// Names and values in the order given; duplicates allowed.
using NameValues = std::vector<std::pair<std::string, std::string>>;

// S3 signs the path differently from every other AWS service.
enum class PathRule {
  // S3: the path is signed as sent. "." segments and repeated slashes are part of an object
  // key, so nothing is resolved; only the percent-encoding is made canonical (each
  // segment encoded once).
  as_sent,
  // Every other service, and AWS's generic test suite: "." and ".." segments resolved,
  // repeated slashes merged, then each segment of the sent path percent-encoded again.
  normalized_double_encoded,
};

struct SigningScope {
  std::string region;
  std::string service;
  PathRule path_rule;
  // S3 wants the payload hash as an x-amz-content-sha256 header, signed; other services
  // take it from the body and do not want the header.
  bool payload_hash_header;
};

struct SigningRequest {
  std::string method;
  // As it goes on the request line, percent-encoded (uri_encode_path), without the query.
  std::string path;
  // Not encoded: the signer encodes and sorts them.
  NameValues query;
  // Must include host, exactly as sent. x-amz-date, x-amz-content-sha256,
  // x-amz-security-token and authorization belong to the signer: a caller's copy is dropped.
  NameValues headers;
  // Lower-case hex SHA-256 of the body (sha256_hex), or unsigned_payload.
  std::string payload_hash;
};

struct SignedRequest {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string authorization;
  // To send besides the caller's headers: x-amz-date, x-amz-content-sha256 (when the
  // scope wants it), x-amz-security-token (with a session token) and authorization.
  NameValues headers_to_add;
  // The query to send after '?', encoded and sorted; empty without parameters.
  std::string query_string;
};

// The payload hash of a body that is not hashed (allowed by S3 over TLS).
inline constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";

// Percent-encodes every byte but A-Z a-z 0-9 - . _ ~ (and '/' unless encode_slash), with
// upper-case hex: AWS's rule, stricter than RFC 3986's.
std::string uri_encode(std::string_view text, bool encode_slash);
// A raw path ("/bucket/my photo.jpg") as sent on the request line: each segment encoded.
std::string uri_encode_path(std::string_view raw_path);

std::string sha256_hex(std::string_view bytes);
// "20150830T123600Z": the x-amz-date format, in UTC.
std::string amz_date(TimePoint time);

std::string canonical_uri(std::string_view sent_path, PathRule rule);
std::string canonical_query(const NameValues& query);
// The 32-byte key for one day, region and service (raw bytes, not hex).
std::string signing_key(std::string_view secret_access_key, std::string_view date,
                        std::string_view region, std::string_view service);

SignedRequest sign(const SigningRequest& request, const Credentials& credentials,
                   const SigningScope& scope, TimePoint time);

}  // namespace boxoffice::storage::s3
