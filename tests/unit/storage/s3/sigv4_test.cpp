// The signer against the values AWS publishes: the generic Signature Version 4 test suite
// (aws-sig-v4-test-suite, credentials AKIDEXAMPLE, service "service") and the worked
// examples of the S3 documentation (examplebucket, AKIAIOSFODNN7EXAMPLE). Each step is
// checked where AWS publishes it, so a failure says which step is wrong.
#include "storage/s3/sigv4.hpp"
#include "common/time_format.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace boxoffice::storage::s3 {
namespace {

constexpr std::string_view empty_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TimePoint at(std::string_view rfc3339) {
  return parse_rfc3339(rfc3339).value();
}

// ---- The generic test suite ----

Credentials suite_credentials() {
  return {.access_key_id = "AKIDEXAMPLE",
          .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
          .session_token = ""};
}

SigningScope suite_scope(PathRule rule) {
  return {
      .region = "us-east-1", .service = "service", .path_rule = rule, .payload_hash_header = false};
}

std::string suite_authorization(std::string_view signed_headers, std::string_view signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
         "SignedHeaders=" +
         std::string{signed_headers} + ", Signature=" + std::string{signature};
}

struct SuiteVector {
  std::string name;
  std::string method;
  // As on the suite's request line.
  std::string path;
  NameValues query;
  NameValues extra_headers;
  std::string body;
  PathRule rule;
  std::string signed_headers;
  std::string signature;
};

// Test names and failure messages show the vector's name, not its bytes.
void PrintTo(const SuiteVector& vector, std::ostream* out) {
  *out << vector.name;
}

SignedRequest sign_vector(const SuiteVector& vector, const Credentials& credentials) {
  NameValues headers{{"Host", "example.amazonaws.com"}};
  headers.insert(headers.end(), vector.extra_headers.begin(), vector.extra_headers.end());
  const SigningRequest request{.method = vector.method,
                               .path = vector.path,
                               .query = vector.query,
                               .headers = headers,
                               .payload_hash = sha256_hex(vector.body)};
  return sign(request, credentials, suite_scope(vector.rule), at("2015-08-30T12:36:00Z"));
}

class SigV4Suite : public testing::TestWithParam<SuiteVector> {};

TEST_P(SigV4Suite, SignsToThePublishedAuthorization) {
  const auto& vector = GetParam();
  const auto signed_request = sign_vector(vector, suite_credentials());
  EXPECT_EQ(signed_request.authorization,
            suite_authorization(vector.signed_headers, vector.signature))
      << signed_request.canonical_request;
}

constexpr auto normalized = PathRule::normalized_double_encoded;
constexpr auto as_sent = PathRule::as_sent;
constexpr std::string_view vanilla_signature =
    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

// The "-unnormalized" vectors are the suite's requests signed the way S3 signs paths.
INSTANTIATE_TEST_SUITE_P(
    Published, SigV4Suite,
    testing::Values(
        SuiteVector{"get_vanilla",
                    "GET",
                    "/",
                    {},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    std::string{vanilla_signature}},
        SuiteVector{"get_vanilla_query_order_key_case",
                    "GET",
                    "/",
                    {{"Param2", "value2"}, {"Param1", "value1"}},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
        SuiteVector{"get_vanilla_query_order_value",
                    "GET",
                    "/",
                    {{"Param1", "value2"}, {"Param1", "value1"}},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"},
        SuiteVector{"get_vanilla_utf8_query",
                    "GET",
                    "/",
                    {{"\xe1\x88\xb4", "bar"}},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
        SuiteVector{"get_header_value_trim",
                    "GET",
                    "/",
                    {},
                    {{"My-Header1", " value1"}, {"My-Header2", "\"a   b   c\""}},
                    "",
                    normalized,
                    "host;my-header1;my-header2;x-amz-date",
                    "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
        SuiteVector{"get_header_key_duplicate",
                    "GET",
                    "/",
                    {},
                    {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}},
                    "",
                    normalized,
                    "host;my-header1;x-amz-date",
                    "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
        SuiteVector{"get_header_value_order",
                    "GET",
                    "/",
                    {},
                    {{"My-Header1", "value4"},
                     {"My-Header1", "value1"},
                     {"My-Header1", "value3"},
                     {"My-Header1", "value2"}},
                    "",
                    normalized,
                    "host;my-header1;x-amz-date",
                    "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
        SuiteVector{"post_x_www_form_urlencoded",
                    "POST",
                    "/",
                    {},
                    {{"Content-Type", "application/x-www-form-urlencoded"}},
                    "Param1=value1",
                    normalized,
                    "content-type;host;x-amz-date",
                    "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
        SuiteVector{"get_unreserved",
                    "GET",
                    "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                    {},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
        SuiteVector{"get_utf8",
                    "GET",
                    "/\xe1\x88\xb4",
                    {},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
        SuiteVector{"get_space",
                    "GET",
                    "/example space/",
                    {},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
        SuiteVector{"get_slash",
                    "GET",
                    "//",
                    {},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    std::string{vanilla_signature}},
        SuiteVector{"get_slashes",
                    "GET",
                    "//example//",
                    {},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"},
        SuiteVector{"get_slash_dot_slash",
                    "GET",
                    "/./",
                    {},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    std::string{vanilla_signature}},
        SuiteVector{"get_slash_pointless_dot",
                    "GET",
                    "/./example",
                    {},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"},
        SuiteVector{"get_relative",
                    "GET",
                    "/example/..",
                    {},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    std::string{vanilla_signature}},
        SuiteVector{"get_relative_relative",
                    "GET",
                    "/example1/example2/../..",
                    {},
                    {},
                    "",
                    normalized,
                    "host;x-amz-date",
                    std::string{vanilla_signature}},
        SuiteVector{"get_slash_unnormalized",
                    "GET",
                    "//",
                    {},
                    {},
                    "",
                    as_sent,
                    "host;x-amz-date",
                    "c88bcd3d312d75078c0cd961d6deae3f4c754924b01669efcfcb439fd5e5b76e"},
        SuiteVector{"get_slashes_unnormalized",
                    "GET",
                    "//example//",
                    {},
                    {},
                    "",
                    as_sent,
                    "host;x-amz-date",
                    "87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5"},
        SuiteVector{"get_slash_dot_slash_unnormalized",
                    "GET",
                    "/./",
                    {},
                    {},
                    "",
                    as_sent,
                    "host;x-amz-date",
                    "68714168e6557f8f2de0ef956fc24dc2593a4bd2961f8df51898d8a134695145"},
        SuiteVector{"get_space_unnormalized",
                    "GET",
                    "/example space/",
                    {},
                    {},
                    "",
                    as_sent,
                    "host;x-amz-date",
                    "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"}),
    [](const testing::TestParamInfo<SuiteVector>& param_info) { return param_info.param.name; });

TEST(SigV4SuiteSteps, GetVanillaCanonicalRequestAndStringToSign) {
  const SuiteVector vanilla{"get_vanilla", "GET", "/", {}, {}, "", normalized, "", ""};
  const auto signed_request = sign_vector(vanilla, suite_credentials());
  EXPECT_EQ(signed_request.canonical_request,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\n" +
                std::string{empty_sha256});
  EXPECT_EQ(signed_request.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(signed_request.signature, vanilla_signature);
  EXPECT_TRUE(signed_request.query_string.empty());
}

TEST(SigV4SuiteSteps, QueryParametersAreSortedByName) {
  const SuiteVector vector{
      "", "GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}}, {}, "", normalized, "", ""};
  const auto signed_request = sign_vector(vector, suite_credentials());
  EXPECT_EQ(signed_request.query_string, "Param1=value1&Param2=value2");
  EXPECT_EQ(sha256_hex(signed_request.canonical_request),
            "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0");
}

TEST(SigV4SuiteSteps, HeaderValuesAreTrimmedAndInnerBlanksCollapsed) {
  const SuiteVector vector{
      "", "GET",      "/", {}, {{"My-Header1", " value1"}, {"My-Header2", "\"a   b   c\""}},
      "", normalized, "",  ""};
  const auto signed_request = sign_vector(vector, suite_credentials());
  EXPECT_NE(signed_request.canonical_request.find("my-header1:value1\nmy-header2:\"a b c\"\n"),
            std::string::npos)
      << signed_request.canonical_request;
}

TEST(SigV4SuiteSteps, FormPostHashesItsBody) {
  const SuiteVector vector{"",
                           "POST",
                           "/",
                           {},
                           {{"Content-Type", "application/x-www-form-urlencoded"}},
                           "Param1=value1",
                           normalized,
                           "",
                           ""};
  const auto signed_request = sign_vector(vector, suite_credentials());
  EXPECT_TRUE(signed_request.canonical_request.ends_with(
      "\ncontent-type;host;x-amz-date\n"
      "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"));
  EXPECT_EQ(signed_request.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
}

TEST(SigV4SuiteSteps, SessionTokenIsSentAndSigned) {
  auto credentials = suite_credentials();
  credentials.session_token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
  const SuiteVector vanilla{"", "GET", "/", {}, {}, "", normalized, "", ""};
  const auto signed_request = sign_vector(vanilla, credentials);
  EXPECT_EQ(
      signed_request.authorization,
      suite_authorization("host;x-amz-date;x-amz-security-token",
                          "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"));
  const NameValues expected{{"x-amz-date", "20150830T123600Z"},
                            {"x-amz-security-token", credentials.session_token},
                            {"authorization", signed_request.authorization}};
  EXPECT_EQ(signed_request.headers_to_add, expected);
}

TEST(SigV4SuiteSteps, CanonicalUriPerRule) {
  EXPECT_EQ(canonical_uri("/example space/", normalized), "/example%20space/");
  EXPECT_EQ(canonical_uri("/\xe1\x88\xb4", normalized), "/%E1%88%B4");
  EXPECT_EQ(canonical_uri("//example//", normalized), "/example/");
  EXPECT_EQ(canonical_uri("/a/b/../c", normalized), "/a/c");
  EXPECT_EQ(canonical_uri("", normalized), "/");
  // Other services encode the sent path again; S3 does not.
  EXPECT_EQ(canonical_uri("/my%20photo.jpg", normalized), "/my%2520photo.jpg");
  EXPECT_EQ(canonical_uri("/my%20photo.jpg", as_sent), "/my%20photo.jpg");
  // S3 keeps what other services resolve, and makes the encoding canonical.
  EXPECT_EQ(canonical_uri("/bucket/./a//b/../c", as_sent), "/bucket/./a//b/../c");
  EXPECT_EQ(canonical_uri("/test$file.text", as_sent), "/test%24file.text");
  EXPECT_EQ(canonical_uri("/a%7eb%2fc", as_sent), "/a~b%2Fc");
  EXPECT_EQ(canonical_uri("/100%", as_sent), "/100%25");
}

TEST(SigV4, UriEncodingFollowsAwsRules) {
  EXPECT_EQ(uri_encode("A-z_0.9~", true), "A-z_0.9~");
  EXPECT_EQ(uri_encode("a b+c", true), "a%20b%2Bc");
  EXPECT_EQ(uri_encode("a/b", true), "a%2Fb");
  EXPECT_EQ(uri_encode("a/b", false), "a/b");
  EXPECT_EQ(uri_encode("!'()*=&?#%", true), "%21%27%28%29%2A%3D%26%3F%23%25");
  EXPECT_EQ(uri_encode("\xd0\xba\xd0\xbb", true), "%D0%BA%D0%BB");
  EXPECT_EQ(uri_encode_path("/bucket/my photo.jpg"), "/bucket/my%20photo.jpg");
  EXPECT_EQ(canonical_query({{"prefix", "a/b c"}, {"list-type", "2"}, {"empty", ""}}),
            "empty=&list-type=2&prefix=a%2Fb%20c");
}

TEST(SigV4, DerivesTheDocumentedSigningKey) {
  const auto key =
      signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
  std::string hex;
  for (const char c : key) {
    constexpr std::string_view digits = "0123456789abcdef";
    hex += digits[static_cast<unsigned char>(c) >> 4];
    hex += digits[static_cast<unsigned char>(c) & 0x0f];
  }
  EXPECT_EQ(hex, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4, AmzDateIsUtcBasicFormat) {
  EXPECT_EQ(amz_date(at("2015-08-30T12:36:00Z")), "20150830T123600Z");
  EXPECT_EQ(amz_date(at("2013-05-24T00:00:00Z")), "20130524T000000Z");
  EXPECT_EQ(amz_date(at("2024-02-29T23:59:59+00:00")), "20240229T235959Z");
}

TEST(SigV4, SignerOwnedHeadersFromTheCallerAreReplaced) {
  const SigningRequest request{.method = "GET",
                               .path = "/",
                               .query = {},
                               .headers = {{"Host", "example.amazonaws.com"},
                                           {"X-Amz-Date", "19990101T000000Z"},
                                           {"Authorization", "forged"}},
                               .payload_hash = std::string{empty_sha256}};
  const auto signed_request =
      sign(request, suite_credentials(), suite_scope(normalized), at("2015-08-30T12:36:00Z"));
  EXPECT_EQ(signed_request.signature, vanilla_signature);
}

// ---- The S3 documentation's examples ----

Credentials s3_credentials() {
  return {.access_key_id = "AKIAIOSFODNN7EXAMPLE",
          .secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          .session_token = ""};
}

SigningScope s3_scope() {
  return {.region = "us-east-1",
          .service = "s3",
          .path_rule = PathRule::as_sent,
          .payload_hash_header = true};
}

SignedRequest sign_s3_example(std::string method, std::string path, NameValues query,
                              NameValues extra_headers, std::string_view body) {
  NameValues headers{{"Host", "examplebucket.s3.amazonaws.com"}};
  headers.insert(headers.end(), extra_headers.begin(), extra_headers.end());
  const SigningRequest request{.method = std::move(method),
                               .path = std::move(path),
                               .query = std::move(query),
                               .headers = headers,
                               .payload_hash = sha256_hex(body)};
  return sign(request, s3_credentials(), s3_scope(), at("2013-05-24T00:00:00Z"));
}

std::string s3_authorization(std::string_view signed_headers, std::string_view signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
         "SignedHeaders=" +
         std::string{signed_headers} + ", Signature=" + std::string{signature};
}

TEST(SigV4S3Examples, GetObjectWithRange) {
  const auto signed_request = sign_s3_example("GET", "/test.txt", {}, {{"Range", "bytes=0-9"}}, "");
  EXPECT_EQ(signed_request.canonical_request,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:" +
                std::string{empty_sha256} +
                "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n" +
                std::string{empty_sha256});
  EXPECT_EQ(signed_request.string_to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(signed_request.authorization,
            s3_authorization("host;range;x-amz-content-sha256;x-amz-date",
                             "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
  const NameValues expected{{"x-amz-date", "20130524T000000Z"},
                            {"x-amz-content-sha256", std::string{empty_sha256}},
                            {"authorization", signed_request.authorization}};
  EXPECT_EQ(signed_request.headers_to_add, expected);
}

TEST(SigV4S3Examples, PutObject) {
  const auto signed_request = sign_s3_example(
      "PUT", uri_encode_path("/test$file.text"), {},
      {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
      "Welcome to Amazon S3.");
  const std::string payload_hash =
      "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
  EXPECT_EQ(signed_request.canonical_request,
            "PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\n"
            "host:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" +
                payload_hash +
                "\nx-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n"
                "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n" +
                payload_hash);
  EXPECT_EQ(signed_request.string_to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
  EXPECT_EQ(signed_request.authorization,
            s3_authorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                             "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
}

TEST(SigV4S3Examples, GetBucketLifecycle) {
  const auto signed_request = sign_s3_example("GET", "/", {{"lifecycle", ""}}, {}, "");
  EXPECT_EQ(signed_request.canonical_request,
            "GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" +
                std::string{empty_sha256} +
                "\nx-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" +
                std::string{empty_sha256});
  EXPECT_EQ(signed_request.string_to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca");
  EXPECT_EQ(signed_request.authorization,
            s3_authorization("host;x-amz-content-sha256;x-amz-date",
                             "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"));
}

TEST(SigV4S3Examples, ListObjects) {
  const auto signed_request =
      sign_s3_example("GET", "/", {{"prefix", "J"}, {"max-keys", "2"}}, {}, "");
  EXPECT_EQ(signed_request.query_string, "max-keys=2&prefix=J");
  EXPECT_EQ(signed_request.canonical_request,
            "GET\n/\nmax-keys=2&prefix=J\nhost:examplebucket.s3.amazonaws.com\n"
            "x-amz-content-sha256:" +
                std::string{empty_sha256} +
                "\nx-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" +
                std::string{empty_sha256});
  EXPECT_EQ(signed_request.string_to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7");
  EXPECT_EQ(signed_request.authorization,
            s3_authorization("host;x-amz-content-sha256;x-amz-date",
                             "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
}

TEST(SigV4S3Examples, UnsignedPayloadIsSignedAsTheLiteral) {
  NameValues headers{{"Host", "examplebucket.s3.amazonaws.com"}};
  const SigningRequest request{.method = "PUT",
                               .path = "/test.txt",
                               .query = {},
                               .headers = headers,
                               .payload_hash = std::string{unsigned_payload}};
  const auto signed_request =
      sign(request, s3_credentials(), s3_scope(), at("2013-05-24T00:00:00Z"));
  EXPECT_TRUE(signed_request.canonical_request.ends_with(
      "x-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20130524T000000Z\n\n"
      "host;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"))
      << signed_request.canonical_request;
  EXPECT_EQ(signed_request.headers_to_add.at(1),
            (std::pair<std::string, std::string>{"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}));
}

}  // namespace
}  // namespace boxoffice::storage::s3
