// A poster's two shapes: the JSON the database keeps (object keys only, read back exactly,
// anything else refused) and the JSON the API shows (URLs under the configured base, the
// widest JPEG as the one every browser can show).
#include "posters/poster_record.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <string>

namespace boxoffice::posters {
namespace {

StoredVariant variant(int width, int height, const std::string& type, const std::string& key) {
  return {.width = width, .height = height, .content_type = type, .key = key};
}

// Deliberately not sorted by width, and with a WebP wider than every JPEG, so that "the
// widest JPEG" is neither the last variant nor the widest one.
PosterRecord sample_poster() {
  return {.variants = {
              variant(640, 360, "image/webp", "posters/0123456789abcdef0123456789abcd01.webp"),
              variant(1280, 720, "image/jpeg", "posters/0123456789abcdef0123456789abcd02.jpg"),
              variant(320, 180, "image/jpeg", "posters/0123456789abcdef0123456789abcd03.jpg"),
              variant(1600, 900, "image/webp", "posters/0123456789abcdef0123456789abcd04.webp"),
          }};
}

bool same_variant(const StoredVariant& a, const StoredVariant& b) {
  return a.width == b.width && a.height == b.height && a.content_type == b.content_type &&
         a.key == b.key;
}

TEST(PosterRecord, StoredJsonReadsBackAsTheSamePoster) {
  const auto poster = sample_poster();

  const auto parsed = parse_stored_poster(to_stored_json(poster));

  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->variants.size(), poster.variants.size());
  for (std::size_t i = 0; i < poster.variants.size(); ++i) {
    EXPECT_TRUE(same_variant(parsed->variants[i], poster.variants[i])) << "variant " << i;
  }
}

TEST(PosterRecord, StoredJsonKeepsKeysAndNoUrls) {
  const auto stored = boost::json::parse(to_stored_json(sample_poster()));

  const auto& first = stored.at("variants").at(0).as_object();
  EXPECT_EQ(first.at("key").as_string(), "posters/0123456789abcdef0123456789abcd01.webp");
  EXPECT_FALSE(first.contains("url"));
  EXPECT_FALSE(stored.as_object().contains("url"));
}

TEST(PosterRecord, TextThatIsNotAStoredPosterIsRefused) {
  const char* const malformed[] = {
      "",
      "not json",
      R"({"variants": [)",
      "[]",
      "{}",
      R"({"variants": {}})",
      R"({"variants": [1]})",
      R"({"variants": [{"width": 320, "height": 180, "type": "image/jpeg"}]})",
      R"({"variants": [{"width": "320", "height": 180, "type": "image/jpeg", "key": "k"}]})",
      R"({"variants": [{"width": 320, "height": 180.5, "type": "image/jpeg", "key": "k"}]})",
      R"({"variants": [{"width": 320, "height": 180, "type": 7, "key": "k"}]})",
      R"({"variants": [{"width": 320, "height": 180, "type": "image/jpeg", "key": null}]})",
  };
  for (const char* text : malformed) {
    EXPECT_FALSE(parse_stored_poster(text).has_value()) << text;
  }
}

TEST(PosterRecord, SameOriginUrlsArePathsUnderPosters) {
  const auto shown = public_poster_json(sample_poster(), "");

  EXPECT_EQ(shown.at("url").as_string(), "/posters/0123456789abcdef0123456789abcd02.jpg");
  EXPECT_EQ(shown.at("variants").at(0).at("url").as_string(),
            "/posters/0123456789abcdef0123456789abcd01.webp");
}

TEST(PosterRecord, UrlsStartWithTheConfiguredBase) {
  const auto shown = public_poster_json(sample_poster(), "https://cdn.example.com");

  EXPECT_EQ(shown.at("url").as_string(),
            "https://cdn.example.com/posters/0123456789abcdef0123456789abcd02.jpg");
  for (const auto& item : shown.at("variants").as_array()) {
    EXPECT_TRUE(item.at("url").as_string().starts_with("https://cdn.example.com/posters/"))
        << boost::json::serialize(item);
  }
}

TEST(PosterRecord, PublicJsonListsEveryVariantInOrderWithItsSizeAndType) {
  const auto poster = sample_poster();

  const auto shown = public_poster_json(poster, "");

  const auto& listed = shown.at("variants").as_array();
  ASSERT_EQ(listed.size(), poster.variants.size());
  for (std::size_t i = 0; i < listed.size(); ++i) {
    SCOPED_TRACE(boost::json::serialize(listed[i]));
    EXPECT_EQ(listed[i].at("width").as_int64(), poster.variants[i].width);
    EXPECT_EQ(listed[i].at("height").as_int64(), poster.variants[i].height);
    EXPECT_EQ(listed[i].at("type").as_string(), poster.variants[i].content_type);
    EXPECT_EQ(listed[i].at("url").as_string(), "/" + poster.variants[i].key);
    EXPECT_FALSE(listed[i].as_object().contains("key"));
  }
}

TEST(PosterRecord, KeysOfPublicNamesAreInThePostersFolder) {
  EXPECT_EQ(key_for_name("0123456789abcdef0123456789abcdef.webp"),
            "posters/0123456789abcdef0123456789abcdef.webp");
}

}  // namespace
}  // namespace boxoffice::posters
