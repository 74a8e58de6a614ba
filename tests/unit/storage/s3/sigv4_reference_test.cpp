// Our signer against a second, independent one: the aws4 npm package (pinned in
// tools/s3-test-server), run with node on the same requests. The published vectors cover
// few paths and headers; this table adds what the store meets in practice (keys with
// spaces, unicode and reserved characters, listing queries, bodies, session tokens) and
// the rules that differ between S3 and other services.
#include "storage/s3/sigv4.hpp"

#include "common/random.hpp"
#include "common/time_format.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace boxoffice::storage::s3 {
namespace {

std::filesystem::path server_tools() {
  return std::filesystem::path{BOXOFFICE_SOURCE_DIR} / "tools" / "s3-test-server";
}

struct ReferenceCase {
  std::string name;
  std::string method;
  // Before encoding; the request sends uri_encode_path of it.
  std::string raw_path;
  NameValues query;
  NameValues headers;
  std::string body;
  // "s3", or another service, which signs paths the other way.
  std::string service;
  std::string region;
  bool session_token;
  bool unsigned_payload;
};

constexpr std::string_view datetime = "20260314T091500Z";

Credentials credentials_for(const ReferenceCase& test_case) {
  return {.access_key_id = "AKIAIOSFODNN7EXAMPLE",
          .secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          .session_token = test_case.session_token ? "FwoGZXIvYXdzEXAMPLE+token/with=signs" : ""};
}

std::string host_for(const ReferenceCase& test_case) {
  return test_case.service == "s3" ? "examplebucket.s3." + test_case.region + ".amazonaws.com"
                                   : "example." + test_case.region + ".amazonaws.com";
}

SignedRequest sign_ours(const ReferenceCase& test_case) {
  const bool s3 = test_case.service == "s3";
  const SigningScope scope{
      .region = test_case.region,
      .service = test_case.service,
      .path_rule = s3 ? PathRule::as_sent : PathRule::normalized_double_encoded,
      .payload_hash_header = s3};
  NameValues headers{{"host", host_for(test_case)}};
  headers.insert(headers.end(), test_case.headers.begin(), test_case.headers.end());
  const SigningRequest request{.method = test_case.method,
                               .path = uri_encode_path(test_case.raw_path),
                               .query = test_case.query,
                               .headers = headers,
                               .payload_hash = test_case.unsigned_payload
                                                   ? std::string{unsigned_payload}
                                                   : sha256_hex(test_case.body)};
  return sign(request, credentials_for(test_case), scope,
              parse_rfc3339("2026-03-14T09:15:00Z").value());
}

// Bodies travel as hex: JSON strings cannot carry bytes that are not UTF-8.
std::string hex_of(std::string_view bytes) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string hex;
  for (const char c : bytes) {
    hex += digits[static_cast<unsigned char>(c) >> 4];
    hex += digits[static_cast<unsigned char>(c) & 0x0f];
  }
  return hex;
}

boost::json::array pairs_json(const NameValues& pairs) {
  boost::json::array array;
  for (const auto& [name, value] : pairs) {
    array.push_back(boost::json::array{boost::json::string{name}, boost::json::string{value}});
  }
  return array;
}

boost::json::object case_json(const ReferenceCase& test_case) {
  const auto credentials = credentials_for(test_case);
  boost::json::object json_credentials{{"accessKeyId", credentials.access_key_id},
                                       {"secretAccessKey", credentials.secret_access_key}};
  if (!credentials.session_token.empty()) {
    json_credentials["sessionToken"] = credentials.session_token;
  }
  NameValues headers{{"host", host_for(test_case)}};
  headers.insert(headers.end(), test_case.headers.begin(), test_case.headers.end());
  boost::json::object json{{"method", test_case.method},
                           {"host", host_for(test_case)},
                           {"path", uri_encode_path(test_case.raw_path)},
                           {"query", pairs_json(test_case.query)},
                           {"headers", pairs_json(headers)},
                           {"bodyHex", hex_of(test_case.body)},
                           {"service", test_case.service},
                           {"region", test_case.region},
                           {"datetime", datetime},
                           {"credentials", json_credentials}};
  if (test_case.unsigned_payload) {
    json["payloadHash"] = unsigned_payload;
  }
  return json;
}

struct ReferenceAnswer {
  std::string canonical_request;
  std::string authorization;
};

// Runs aws4 over every case at once (one node start). Fails the test, rather than
// skipping, when node is missing: scripts/install-deps --test installs it.
std::vector<ReferenceAnswer> sign_with_aws4(const std::vector<ReferenceCase>& cases) {
  std::vector<ReferenceAnswer> answers;
  // NOLINTNEXTLINE(concurrency-mt-unsafe): the test runs no other thread
  if (std::system("command -v node >/dev/null 2>&1") != 0) {
    ADD_FAILURE() << "node is not on PATH (scripts/install-deps --test installs nodejs)";
    return answers;
  }
  const auto install = "'" + (server_tools() / "install").string() + "' >&2";
  // NOLINTNEXTLINE(concurrency-mt-unsafe): the test runs no other thread
  if (std::system(install.c_str()) != 0) {
    ADD_FAILURE() << "tools/s3-test-server/install failed (npm ci of aws4)";
    return answers;
  }

  boost::json::array input;
  for (const auto& test_case : cases) {
    input.push_back(case_json(test_case));
  }
  const auto input_path =
      std::filesystem::temp_directory_path() / ("boxoffice-aws4-" + random_hex(8) + ".json");
  std::ofstream{input_path} << boost::json::serialize(input);

  const auto command =
      "node '" + (server_tools() / "aws4-sign.js").string() + "' < '" + input_path.string() + "'";
  std::string output;
  {
    const std::unique_ptr<FILE, int (*)(FILE*)> pipe{popen(command.c_str(), "r"), pclose};
    std::array<char, 4096> chunk{};
    while (pipe && std::fgets(chunk.data(), chunk.size(), pipe.get()) != nullptr) {
      output += chunk.data();
    }
  }
  std::filesystem::remove(input_path);

  boost::system::error_code error;
  const auto parsed = boost::json::parse(output, error);
  if (error || !parsed.is_array()) {
    ADD_FAILURE() << "aws4-sign.js printed no JSON array: " << output;
    return answers;
  }
  for (const auto& answer : parsed.as_array()) {
    answers.push_back({.canonical_request = std::string{answer.at("canonicalRequest").as_string()},
                       .authorization = std::string{answer.at("authorization").as_string()}});
  }
  return answers;
}

std::vector<ReferenceCase> reference_cases() {
  const std::string poster_bytes = "\x89PNG\r\n\x1a\n fake poster bytes";
  return {
      {"s3_plain_key", "GET", "/photos/poster-1.webp", {}, {}, "", "s3", "us-east-1", false, false},
      {"s3_key_with_spaces",
       "GET",
       "/my photo  (1).jpg",
       {},
       {},
       "",
       "s3",
       "eu-west-1",
       false,
       false},
      {"s3_unicode_key",
       "HEAD",
       "/ünïcødé/ファイル.png",
       {},
       {},
       "",
       "s3",
       "ap-northeast-1",
       false,
       false},
      {"s3_reserved_characters",
       "GET",
       "/a+b=c&d;e,f:g@h$i!j'k(l)m*n[o]p",
       {},
       {},
       "",
       "s3",
       "us-east-1",
       false,
       false},
      {"s3_percent_and_tilde",
       "GET",
       "/100%/~user/x%41",
       {},
       {},
       "",
       "s3",
       "us-east-1",
       false,
       false},
      {"s3_dot_segments_kept",
       "GET",
       "/bucket/./a//b/../c",
       {},
       {},
       "",
       "s3",
       "us-east-1",
       false,
       false},
      {"s3_listing_query",
       "GET",
       "/",
       {{"list-type", "2"},
        {"prefix", "photos/2024 summer/"},
        {"continuation-token", "a+b/c=d&e"},
        {"max-keys", "100"}},
       {},
       "",
       "s3",
       "us-west-2",
       false,
       false},
      {"s3_put_with_body",
       "PUT",
       "/posters/ab/cdef.png",
       {},
       {{"Content-Type", "image/png"}, {"Content-Length", std::to_string(poster_bytes.size())}},
       poster_bytes,
       "s3",
       "eu-central-1",
       false,
       false},
      {"s3_put_unsigned_payload",
       "PUT",
       "/big.bin",
       {},
       {{"Content-Type", "application/octet-stream"}, {"Content-Length", "5"}},
       "12345",
       "s3",
       "us-east-1",
       false,
       true},
      {"s3_delete_with_session_token",
       "DELETE",
       "/old/poster.webp",
       {},
       {},
       "",
       "s3",
       "us-east-1",
       true,
       false},
      {"s3_header_whitespace_and_case",
       "GET",
       "/k",
       {},
       {{"X-Amz-Meta-Note", "  spaced    out\tvalue  "}, {"If-None-Match", "\"etag  1\""}},
       "",
       "s3",
       "us-east-1",
       false,
       false},
      {"s3_empty_query_value",
       "POST",
       "/upload.bin",
       {{"uploads", ""}},
       {},
       "",
       "s3",
       "us-east-1",
       false,
       false},
      {"service_dot_segments_and_repeated_names",
       "GET",
       "/a/b/../c/./d",
       {{"a", "2"}, {"a", "1"}, {"b", ""}, {"Z", "upper"}},
       {},
       "",
       "execute-api",
       "eu-west-1",
       false,
       false},
      {"service_double_encodes_the_path",
       "GET",
       "/my resource/ünï",
       {},
       {},
       "",
       "service",
       "us-east-1",
       false,
       false},
      {"service_json_post_with_token",
       "POST",
       "/",
       {{"q", "café ☕"}},
       {{"Content-Type", "application/json"}, {"Content-Length", "15"}},
       R"({"a": [1, 2.5]})",
       "dynamodb",
       "us-east-1",
       true,
       false},
  };
}

TEST(SigV4Reference, MatchesTheAws4PackageOnEveryCase) {
  const auto cases = reference_cases();
  const auto answers = sign_with_aws4(cases);
  ASSERT_EQ(answers.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto ours = sign_ours(cases[i]);
    // The canonical requests first: when they differ, the line that differs is the story.
    EXPECT_EQ(ours.canonical_request, answers[i].canonical_request) << cases[i].name;
    EXPECT_EQ(ours.authorization, answers[i].authorization) << cases[i].name;
  }
}

}  // namespace
}  // namespace boxoffice::storage::s3
