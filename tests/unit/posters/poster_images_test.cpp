// render_variants: the sizes and formats pages get from an upload (never upscaled, turned
// upright, without metadata, transparency made white for JPEG), and the uploads it refuses
// (not an accepted format, cut short, or more pixels than the limit) before they cost a
// full decode.
#include "posters/poster_images.hpp"

#include "test_images.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace boxoffice::posters {
namespace {

using test_images::decode;
using test_images::encode;
using test_images::loader_of;
using test_images::noise;
using test_images::ramp;
using vips::VImage;

using WidthAndType = std::pair<int, std::string>;

std::set<WidthAndType> widths_and_types(const std::vector<EncodedVariant>& variants) {
  std::set<WidthAndType> found;
  for (const auto& variant : variants) {
    found.emplace(variant.width, variant.content_type);
  }
  return found;
}

std::set<WidthAndType> in_both_formats(std::initializer_list<int> widths) {
  std::set<WidthAndType> expected;
  for (const int width : widths) {
    expected.emplace(width, "image/webp");
    expected.emplace(width, "image/jpeg");
  }
  return expected;
}

std::string loader_for(const std::string& content_type) {
  return content_type == "image/webp" ? "webpload_buffer" : "jpegload_buffer";
}

// Each variant is a whole file of its declared type and size.
void expect_variants_decode_as_declared(const std::vector<EncodedVariant>& variants) {
  for (const auto& variant : variants) {
    SCOPED_TRACE(std::to_string(variant.width) + " " + variant.content_type);
    EXPECT_EQ(loader_of(variant.bytes), loader_for(variant.content_type));
    const auto image = decode(variant.bytes);
    EXPECT_EQ(image.width(), variant.width);
    EXPECT_EQ(image.height(), variant.height);
  }
}

bool narrowest_first(const std::vector<EncodedVariant>& variants) {
  for (std::size_t i = 1; i < variants.size(); ++i) {
    if (variants[i].width < variants[i - 1].width) {
      return false;
    }
  }
  return true;
}

// What an InvalidImage says, or a failure when render_variants accepted the upload.
std::string refusal_of(const std::string& upload, const ImageLimits& limits = {}) {
  try {
    const auto variants = render_variants(upload, limits);
    ADD_FAILURE() << "accepted, with " << variants.size() << " variants";
  } catch (const InvalidImage& refused) {
    return refused.what();
  }
  return {};
}

// A pixel, sampled at a fraction of the image's width and height.
std::vector<double> pixel_at(const VImage& image, double x_fraction, double y_fraction) {
  return image.getpoint(static_cast<int>(x_fraction * (image.width() - 1)),
                        static_cast<int>(y_fraction * (image.height() - 1)));
}

void expect_near_colour(const std::vector<double>& pixel, std::array<double, 3> colour) {
  ASSERT_GE(pixel.size(), 3U);
  for (std::size_t band = 0; band < 3; ++band) {
    EXPECT_NEAR(pixel[band], colour.at(band), 12.0) << "band " << band;
  }
}

// Upright, an image saved with EXIF orientation 6 is its stored pixels turned a quarter
// clockwise: the stored top-left corner shows at the top right.
VImage stored_sideways_with_red_corner(int width, int height) {
  const auto xy = VImage::xyz(width, height);
  const auto in_corner = (xy[0] < width / 6.0) & (xy[1] < height / 4.0);
  const auto pixels =
      in_corner.ifthenelse(std::vector<double>{230, 20, 20}, std::vector<double>{20, 20, 230});
  auto image = pixels.cast(VIPS_FORMAT_UCHAR)
                   .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  image.set(VIPS_META_ORIENTATION, 6);
  return image;
}

// Black, with a fully transparent top-left quarter.
VImage black_with_transparent_corner(int width, int height) {
  const auto xy = VImage::xyz(width, height);
  const auto in_corner = (xy[0] < width / 4.0) & (xy[1] < height / 4.0);
  const auto alpha = in_corner.ifthenelse(0.0, 255.0);
  const auto black = VImage::black(width, height, VImage::option()->set("bands", 3));
  return black.bandjoin(alpha)
      .cast(VIPS_FORMAT_UCHAR)
      .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

std::uint32_t png_crc(const std::string& bytes) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (const char c : bytes) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1U) != 0 ? (crc >> 1U) ^ 0xEDB88320U : crc >> 1U;
    }
  }
  return crc ^ 0xFFFFFFFFU;
}

void put_big_endian(std::string& bytes, std::size_t offset, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) {
    bytes[offset + i] = static_cast<char>((value >> (8 * (3 - i))) & 0xFFU);
  }
}

// A small real PNG whose header (with a correct checksum, so loaders believe it) declares
// `width` x `height`: a decoder that trusted it would allocate all those pixels.
std::string png_declaring(std::uint32_t width, std::uint32_t height) {
  auto png = encode(VImage::black(16, 16), ".png");
  // The signature (8 bytes), IHDR's length and type (8), then width and height; the CRC
  // after the 13 data bytes covers the type and the data.
  constexpr std::size_t ihdr_type = 12;
  constexpr std::size_t ihdr_data = 16;
  constexpr std::size_t ihdr_crc = ihdr_data + 13;
  EXPECT_EQ(png.substr(ihdr_type, 4), "IHDR");
  put_big_endian(png, ihdr_data, width);
  put_big_endian(png, ihdr_data + 4, height);
  put_big_endian(png, ihdr_crc, png_crc(png.substr(ihdr_type, ihdr_crc - ihdr_type)));
  return png;
}

// Test names from image suffixes: ".jpg" names its case "jpg".
std::string format_name(const testing::TestParamInfo<const char*>& suffix) {
  return std::string{suffix.param}.substr(1);
}

class VariantsOfEachFormat : public testing::TestWithParam<const char*> {};

TEST_P(VariantsOfEachFormat, EveryWidthComesInWebpAndJpegWithTheImagesAspectRatio) {
  constexpr int width = 2000;
  constexpr int height = 1333;
  const auto upload = encode(ramp(width, height), GetParam());

  const auto variants = render_variants(upload, {});

  EXPECT_EQ(variants.size(), 6U);
  EXPECT_EQ(widths_and_types(variants), in_both_formats({320, 640, 1280}));
  EXPECT_TRUE(narrowest_first(variants));
  for (const auto& variant : variants) {
    const double kept_height = std::round(variant.width * double{height} / width);
    EXPECT_NEAR(variant.height, kept_height, 1.0) << variant.width << " " << variant.content_type;
  }
  expect_variants_decode_as_declared(variants);
}

INSTANTIATE_TEST_SUITE_P(Uploads, VariantsOfEachFormat, testing::Values(".jpg", ".png", ".webp"),
                         format_name);

TEST(RenderVariants, AnImageNarrowerThanAWidthGivesItsOwnWidthNotAnUpscaledCopy) {
  const auto upload = encode(ramp(500, 300), ".jpg");

  const auto variants = render_variants(upload, {});

  EXPECT_EQ(variants.size(), 4U);
  EXPECT_EQ(widths_and_types(variants), in_both_formats({320, 500}));
  for (const auto& variant : variants) {
    EXPECT_EQ(variant.height, variant.width == 500 ? 300 : 192) << variant.width;
  }
  expect_variants_decode_as_declared(variants);
}

TEST(RenderVariants, AnImageExactlyAsWideAsAVariantGivesThatWidthOnce) {
  const auto upload = encode(ramp(640, 400), ".png");

  const auto variants = render_variants(upload, {});

  EXPECT_EQ(variants.size(), 4U);
  EXPECT_EQ(widths_and_types(variants), in_both_formats({320, 640}));
}

TEST(RenderVariants, ExifOrientationIsAppliedAndNotLeftForViewersToApplyAgain) {
  const auto upload = encode(stored_sideways_with_red_corner(1200, 800), ".jpg");
  // What the test relies on: libvips wrote the orientation into the file's EXIF.
  ASSERT_EQ(decode(upload).get_int(VIPS_META_ORIENTATION), 6);

  const auto variants = render_variants(upload, {});

  // Upright the image is 800 wide, so 800 is its widest variant.
  EXPECT_EQ(widths_and_types(variants), in_both_formats({320, 640, 800}));
  for (const auto& variant : variants) {
    SCOPED_TRACE(std::to_string(variant.width) + " " + variant.content_type);
    EXPECT_GT(variant.height, variant.width);
    EXPECT_NEAR(variant.height, variant.width * 1.5, 1.0);
    const auto image = decode(variant.bytes);
    EXPECT_TRUE(image.get_typeof(VIPS_META_ORIENTATION) == 0 ||
                image.get_int(VIPS_META_ORIENTATION) == 1);
    expect_near_colour(pixel_at(image, 0.9, 0.05), {230, 20, 20});
    expect_near_colour(pixel_at(image, 0.1, 0.05), {20, 20, 230});
  }
  expect_variants_decode_as_declared(variants);
}

TEST(RenderVariants, VariantsCarryNoMetadataFromTheUpload) {
  // An sRGB profile, XMP and EXIF naming the photographer: what a phone's photo carries
  // (with the place it was taken) and a public poster must not.
  auto tagged = ramp(900, 600).icc_export(VImage::option()->set("output_profile", "srgb"));
  const std::string xmp = R"(<x:xmpmeta xmlns:x="adobe:ns:meta/"><owner>Jo</owner></x:xmpmeta>)";
  vips_image_set_blob_copy(tagged.get_image(), VIPS_META_XMP_NAME, xmp.data(), xmp.size());
  tagged.set("exif-ifd0-Artist", "Jo Private");
  const auto upload = encode(tagged, ".jpg");
  const auto uploaded = decode(upload);
  for (const char* field :
       {"exif-ifd0-Artist", VIPS_META_EXIF_NAME, VIPS_META_XMP_NAME, VIPS_META_ICC_NAME}) {
    ASSERT_NE(uploaded.get_typeof(field), 0U) << "the upload lacks " << field;
  }

  const auto variants = render_variants(upload, {});

  ASSERT_EQ(variants.size(), 6U);
  for (const auto& variant : variants) {
    SCOPED_TRACE(std::to_string(variant.width) + " " + variant.content_type);
    const auto image = decode(variant.bytes);
    for (const char* field :
         {"exif-ifd0-Artist", VIPS_META_EXIF_NAME, VIPS_META_XMP_NAME, VIPS_META_ICC_NAME}) {
      EXPECT_EQ(image.get_typeof(field), 0U) << "the variant has " << field;
    }
  }
}

TEST(RenderVariants, TransparencyBecomesWhiteInJpegAndStaysInWebp) {
  const auto upload = encode(black_with_transparent_corner(800, 600), ".png");
  ASSERT_EQ(decode(upload).bands(), 4);

  const auto variants = render_variants(upload, {});

  ASSERT_EQ(variants.size(), 6U);
  for (const auto& variant : variants) {
    SCOPED_TRACE(std::to_string(variant.width) + " " + variant.content_type);
    const auto image = decode(variant.bytes);
    const auto corner = pixel_at(image, 0.02, 0.02);
    const auto opaque = pixel_at(image, 0.9, 0.9);
    if (variant.content_type == "image/jpeg") {
      EXPECT_EQ(image.bands(), 3);
      expect_near_colour(corner, {255, 255, 255});
      expect_near_colour(opaque, {0, 0, 0});
    } else {
      ASSERT_EQ(image.bands(), 4);
      EXPECT_NEAR(corner.at(3), 0.0, 2.0);
      EXPECT_NEAR(opaque.at(3), 255.0, 2.0);
      expect_near_colour(opaque, {0, 0, 0});
    }
  }
}

TEST(RenderVariants, AnEmptyBodyIsRefused) {
  EXPECT_THROW(render_variants("", {}), InvalidImage);
}

TEST(RenderVariants, TextIsRefused) {
  EXPECT_THROW(render_variants("hello, this is not a jpeg", {}), InvalidImage);
}

// Images libvips reads perfectly well, but that pages are not meant to be given.
class OtherFormats : public testing::TestWithParam<const char*> {};

TEST_P(OtherFormats, AreRefusedWithTheFormatsThatAreAccepted) {
  const auto upload = encode(ramp(400, 300), GetParam());
  ASSERT_NE(loader_of(upload), "");

  EXPECT_THAT(refusal_of(upload), testing::HasSubstr("JPEG, PNG and WebP"));
}

INSTANTIATE_TEST_SUITE_P(Uploads, OtherFormats, testing::Values(".gif", ".tif"), format_name);

// The first half of a file that renders whole: it starts as the image did and ends partway
// through its pixels.
class TruncatedUploads : public testing::TestWithParam<const char*> {};

TEST_P(TruncatedUploads, AreRefusedRatherThanPaddedWithGrey) {
  const auto whole = encode(noise(800, 600), GetParam());
  ASSERT_NO_THROW(render_variants(whole, {}));
  const auto half = whole.substr(0, whole.size() / 2);

  EXPECT_THROW(render_variants(half, {}), InvalidImage);
}

INSTANTIATE_TEST_SUITE_P(Uploads, TruncatedUploads, testing::Values(".jpg", ".png", ".webp"),
                         format_name);

TEST(RenderVariants, AHeaderDeclaringAHugeImageIsRefusedByItsSizeBeforeDecoding) {
  const auto bomb = png_declaring(50'000, 50'000);
  // The loader believes the header: only the size check stands between it and 2.5
  // gigapixels.
  const auto header = test_images::header_of(bomb);
  ASSERT_EQ(header.width(), 50'000);
  ASSERT_EQ(header.height(), 50'000);

  const auto refusal = refusal_of(bomb);

  EXPECT_THAT(refusal, testing::HasSubstr("2500 megapixels"));
  EXPECT_THAT(refusal, testing::HasSubstr("at most 40"));
}

TEST(RenderVariants, ARealImageOverTheDefaultLimitIsRefused) {
  // 48 megapixels of one grey level: about 50 kB as a PNG.
  const auto upload = encode(VImage::black(8000, 6000) + 90, ".png");

  EXPECT_THAT(refusal_of(upload), testing::HasSubstr("48 megapixels"));
}

TEST(RenderVariants, TheLimitIsConfigurableAndAnImageAtItIsAccepted) {
  const auto upload = encode(ramp(2000, 1000), ".jpg");

  EXPECT_THAT(refusal_of(upload, {.max_pixels = 1'999'999}), testing::HasSubstr("megapixels"));
  EXPECT_EQ(render_variants(upload, {.max_pixels = 2'000'000}).size(), 6U);
}

}  // namespace
}  // namespace boxoffice::posters
