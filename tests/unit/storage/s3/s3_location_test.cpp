// The s3:// setting and the credentials from the environment: what is accepted, what each
// refusal says, and where requests then go.
#include "storage/s3/s3_location.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

namespace boxoffice::storage::s3 {
namespace {

// The message of the std::invalid_argument that parsing throws, or "" when it succeeds.
std::string refusal(std::string_view url) {
  try {
    parse_s3_location(url);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(S3Location, AwsByDefaultWithVirtualHostedAddressing) {
  const auto location = parse_s3_location("s3://posters?region=eu-west-1");
  EXPECT_EQ(location.bucket, "posters");
  EXPECT_TRUE(location.tls);
  EXPECT_EQ(location.endpoint_host, "s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(location.port, 443);
  EXPECT_EQ(location.region, "eu-west-1");
  EXPECT_EQ(location.addressing, Addressing::virtual_hosted);
  EXPECT_EQ(location.connect_host(), "posters.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(location.host_header(), "posters.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(location.object_path("ab/cd.webp"), "/ab/cd.webp");
  EXPECT_EQ(location.describe(), "s3 bucket posters at https://s3.eu-west-1.amazonaws.com");
}

TEST(S3Location, RegionDefaultsToUsEast1) {
  const auto location = parse_s3_location("s3://posters");
  EXPECT_EQ(location.region, "us-east-1");
  EXPECT_EQ(location.endpoint_host, "s3.us-east-1.amazonaws.com");
}

TEST(S3Location, AnEndpointMeansPathStyle) {
  const auto location =
      parse_s3_location("s3://boxoffice-test?endpoint=http://127.0.0.1:9000&region=us-east-1");
  EXPECT_FALSE(location.tls);
  EXPECT_EQ(location.endpoint_host, "127.0.0.1");
  EXPECT_EQ(location.port, 9000);
  EXPECT_EQ(location.addressing, Addressing::path);
  EXPECT_EQ(location.connect_host(), "127.0.0.1");
  EXPECT_EQ(location.host_header(), "127.0.0.1:9000");
  EXPECT_EQ(location.object_path("a/b.jpg"), "/boxoffice-test/a/b.jpg");
  EXPECT_EQ(location.describe(), "s3 bucket boxoffice-test at http://127.0.0.1:9000");
}

TEST(S3Location, VirtualHostedOnACustomEndpoint) {
  const auto location = parse_s3_location(
      "s3://media.example?endpoint=https://objects.example.net&addressing=virtual&region=auto");
  EXPECT_EQ(location.addressing, Addressing::virtual_hosted);
  EXPECT_EQ(location.connect_host(), "media.example.objects.example.net");
  EXPECT_EQ(location.host_header(), "media.example.objects.example.net");
  EXPECT_EQ(location.port, 443);
  EXPECT_EQ(location.region, "auto");
}

TEST(S3Location, PathStyleOnAws) {
  const auto location = parse_s3_location("s3://posters?addressing=path&region=us-west-2");
  EXPECT_EQ(location.host_header(), "s3.us-west-2.amazonaws.com");
  EXPECT_EQ(location.object_path("k"), "/posters/k");
}

TEST(S3Location, PrefixIsPutBeforeEveryKey) {
  const auto location =
      parse_s3_location("s3://posters?endpoint=http://localhost:4568&prefix=boxoffice/posters/");
  EXPECT_EQ(location.prefix, "boxoffice/posters/");
  EXPECT_EQ(location.object_path("ab.webp"), "/posters/boxoffice/posters/ab.webp");
  EXPECT_EQ(location.describe(),
            "s3 bucket posters at http://localhost:4568 under boxoffice/posters/");
  EXPECT_EQ(parse_s3_location("s3://posters?prefix=some/folder").prefix, "some/folder/");
}

TEST(S3Location, PercentEncodedValuesAreDecoded) {
  const auto location =
      parse_s3_location("s3://posters?endpoint=http%3A%2F%2F10.0.0.5%3A9000&region=us-east-1");
  EXPECT_EQ(location.endpoint_host, "10.0.0.5");
  EXPECT_EQ(location.port, 9000);
}

TEST(S3Location, Ipv6EndpointKeepsItsBracketsInHeaders) {
  const auto location = parse_s3_location("s3://posters?endpoint=http://[::1]:9000");
  EXPECT_EQ(location.endpoint_host, "::1");
  EXPECT_EQ(location.host_header(), "[::1]:9000");
  EXPECT_EQ(location.endpoint_url(), "http://[::1]:9000");
}

TEST(S3Location, BadSettingsAreRefusedNamingThePart) {
  const std::map<std::string, std::string> cases{
      {"s3://", "bucket name is missing"},
      {"file:./posters", "starts with s3://"},
      {"s3://Posters", "not a valid bucket name"},
      {"s3://ab", "not a valid bucket name"},
      {"s3://-posters", "not a valid bucket name"},
      {"s3://po..sters", "not a valid bucket name"},
      {"s3://posters/folder", "prefix=FOLDER"},
      {"s3://user@posters", "without '@'"},
      {"s3://posters?endpoint=ftp://host", "http:// or https://"},
      {"s3://posters?endpoint=not a url", "is not a URL"},
      {"s3://posters?endpoint=http://key:secret@host", "must not hold credentials"},
      {"s3://posters?endpoint=http://host/path", "only scheme, host and port"},
      {"s3://posters?endpoint=http://host:0", "port that is not a number"},
      {"s3://posters?endpoint=http://host:70000", "port that is not a number"},
      {"s3://posters?region=EU_WEST", "region \"EU_WEST\""},
      {"s3://posters?region=", "region \"\""},
      {"s3://posters?addressing=dns", "addressing must be path or virtual"},
      {"s3://posters?endpoint=http://127.0.0.1:9000&addressing=virtual", "use addressing=path"},
      {"s3://posters?prefix=../up", "prefix \"../up\""},
      {"s3://posters?prefix=Upper", "prefix \"Upper\""},
      {"s3://posters?bucket=other", "unknown setting \"bucket\""},
      {"s3://posters?region=a&region=b", "given twice"},
      {"s3://posters?region", "needs a value"},
      {"s3://posters?endpoint=%zz", "'%' not followed by two hex digits"},
  };
  for (const auto& [url, expected] : cases) {
    const auto message = refusal(url);
    EXPECT_TRUE(message.starts_with("BOXOFFICE_STORAGE_URL: ")) << url << " -> " << message;
    EXPECT_NE(message.find(expected), std::string::npos) << url << " -> " << message;
  }
}

TEST(S3Credentials, ComeFromTheAwsVariables) {
  const std::map<std::string, std::string> environment{{"AWS_ACCESS_KEY_ID", "AKID"},
                                                       {"AWS_SECRET_ACCESS_KEY", "secret"},
                                                       {"AWS_SESSION_TOKEN", "token"}};
  const auto lookup = [&environment](const char* name) -> const char* {
    const auto found = environment.find(name);
    return found == environment.end() ? nullptr : found->second.c_str();
  };
  const auto credentials = credentials_from_environment(lookup);
  EXPECT_EQ(credentials.access_key_id, "AKID");
  EXPECT_EQ(credentials.secret_access_key, "secret");
  EXPECT_EQ(credentials.session_token, "token");
}

TEST(S3Credentials, MissingOnesAreNamed) {
  std::map<std::string, std::string> environment{{"AWS_SECRET_ACCESS_KEY", "secret"}};
  const auto lookup = [&environment](const char* name) -> const char* {
    const auto found = environment.find(name);
    return found == environment.end() ? nullptr : found->second.c_str();
  };
  const auto message_of = [&lookup]() -> std::string {
    try {
      credentials_from_environment(lookup);
    } catch (const std::invalid_argument& error) {
      return error.what();
    }
    return "";
  };
  EXPECT_TRUE(message_of().starts_with("AWS_ACCESS_KEY_ID is not set")) << message_of();
  environment = {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", ""}};
  EXPECT_TRUE(message_of().starts_with("AWS_SECRET_ACCESS_KEY is not set")) << message_of();
  environment = {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "secret"}};
  EXPECT_EQ(credentials_from_environment(lookup).session_token, "");
}

}  // namespace
}  // namespace boxoffice::storage::s3
