#include "posters/poster_images.hpp"

#include <spdlog/spdlog.h>
#include <webp/mux.h>
#include <vips/vips8>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <set>

namespace boxoffice::posters {
using vips::VImage;

void start_image_library() {
  static std::once_flag started;
  std::call_once(started, [] {
    if (VIPS_INIT("boxoffice") != 0) {
      throw std::runtime_error(std::string{"libvips failed to start: "} + vips_error_buffer());
    }
    // Every upload is new: an operation cache would only hold on to memory.
    vips_cache_set_max(0);
    // The worker pool decides how many cores image work may use, not libvips.
    vips_concurrency_set(1);
    // Uploads are hostile until decoded: loaders libvips marks untrusted (ImageMagick,
    // PDF, SVG...) never see them, even for the header.
    vips_block_untrusted_set(TRUE);
    // libvips warns on stderr about every damaged upload, which the 400 already reports;
    // keep them in the log at debug level, as JSON like every other line.
    g_log_set_handler(
        "VIPS", static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE),
        [](const gchar*, GLogLevelFlags, const gchar* message, gpointer) {
          spdlog::debug("libvips: {}", message);
        },
        nullptr);
  });
}

namespace {

// vips_foreign_find_load_buffer names the loader's class (VipsForeignLoadJpegBuffer).
bool accepted_loader(std::string_view loader) {
  return loader == "VipsForeignLoadJpegBuffer" || loader == "VipsForeignLoadPngBuffer" ||
         loader == "VipsForeignLoadWebpBuffer";
}

std::string encode(const VImage& image, const char* suffix, vips::VOption* options) {
  void* buffer = nullptr;
  std::size_t size = 0;
  image.write_to_buffer(suffix, &buffer, &size, options);
  std::string bytes{static_cast<const char*>(buffer), size};
  g_free(buffer);
  return bytes;
}

// sRGB with at most an alpha band: what browsers render the same everywhere.
VImage display_ready(VImage image) {
  if (image.interpretation() != VIPS_INTERPRETATION_sRGB &&
      image.interpretation() != VIPS_INTERPRETATION_B_W) {
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (image.format() != VIPS_FORMAT_UCHAR) {
    image = image.cast(VIPS_FORMAT_UCHAR);
  }
  return image;
}

// libvips 8.14's WebP saver writes EXIF, XMP and ICC chunks whatever `strip` says, and
// an uploader's EXIF can hold where and by whom the photo was taken: remove the chunks.
std::string without_metadata_chunks(const std::string& webp) {
  const WebPData input{reinterpret_cast<const std::uint8_t*>(webp.data()), webp.size()};
  WebPMux* mux = WebPMuxCreate(&input, 0);
  if (mux == nullptr) {
    throw std::runtime_error("libwebpmux cannot read a WebP libvips wrote");
  }
  for (const char* chunk : {"EXIF", "XMP ", "ICCP"}) {
    WebPMuxDeleteChunk(mux, chunk);
  }
  WebPData output;
  WebPDataInit(&output);
  const auto assembled = WebPMuxAssemble(mux, &output);
  WebPMuxDelete(mux);
  if (assembled != WEBP_MUX_OK) {
    WebPDataClear(&output);
    throw std::runtime_error("libwebpmux cannot write a WebP without metadata");
  }
  std::string bytes{reinterpret_cast<const char*>(output.bytes), output.size};
  WebPDataClear(&output);
  return bytes;
}

EncodedVariant webp_variant(const VImage& image) {
  auto* options = VImage::option()->set("Q", 80)->set("effort", 4)->set("strip", true);
  return {.width = image.width(),
          .height = image.height(),
          .content_type = "image/webp",
          .bytes = without_metadata_chunks(encode(image, ".webp", options))};
}

std::string megapixels(std::int64_t pixels) {
  // One decimal, and none when it is 0: "48", "40.5".
  const auto tenths = (pixels + 50'000) / 100'000;
  const auto whole = std::to_string(tenths / 10);
  return tenths % 10 == 0 ? whole : whole + "." + std::to_string(tenths % 10);
}

EncodedVariant jpeg_variant(const VImage& image) {
  // JPEG has no transparency: transparent parts become white, as on a white page.
  const auto opaque =
      image.has_alpha() ? image.flatten(VImage::option()->set("background", 255.0)) : image;
  auto* options = VImage::option()
                      ->set("Q", 82)
                      ->set("strip", true)
                      ->set("optimize_coding", true)
                      ->set("interlace", true);
  return {.width = opaque.width(),
          .height = opaque.height(),
          .content_type = "image/jpeg",
          .bytes = encode(opaque, ".jpg", options)};
}

}  // namespace

std::vector<EncodedVariant> render_variants(std::string_view upload, const ImageLimits& limits) {
  start_image_library();
  if (upload.empty()) {
    throw InvalidImage("the body is empty");
  }
  try {
    // The format is told from the bytes, and only the three accepted loaders run.
    const char* loader = vips_foreign_find_load_buffer(upload.data(), upload.size());
    if (loader == nullptr || !accepted_loader(loader)) {
      vips_error_clear();
      throw InvalidImage("only JPEG, PNG and WebP images are accepted");
    }
    // Only the header is read here, so a decompression bomb is refused by its declared
    // size before any pixel is decoded.
    const auto header = VImage::new_from_buffer(
        upload.data(), upload.size(), "", VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
    const auto pixels = std::int64_t{header.width()} * header.height();
    if (pixels > limits.max_pixels) {
      throw InvalidImage("the image has " + megapixels(pixels) + " megapixels (" +
                         std::to_string(header.width()) + "x" + std::to_string(header.height()) +
                         "); at most " + megapixels(limits.max_pixels) + " are accepted");
    }

    // EXIF orientation decides which side is the width; thumbnail applies it.
    const bool sideways =
        header.get_typeof(VIPS_META_ORIENTATION) != 0 && header.get_int(VIPS_META_ORIENTATION) >= 5;
    const int upright_width = sideways ? header.height() : header.width();
    const int widest = std::min(upright_width, variant_widths[std::size(variant_widths) - 1]);

    // One full decode (failing on truncation) gives the widest variant; the narrower ones
    // are made from it, which is cheap and looks the same.
    auto* blob = vips_blob_copy(upload.data(), upload.size());
    VImage widest_image;
    try {
      widest_image = VImage::thumbnail_buffer(blob, widest,
                                              VImage::option()
                                                  ->set("height", 10'000'000)
                                                  ->set("size", VIPS_SIZE_DOWN)
                                                  ->set("option_string", "fail_on=truncated"));
      widest_image = display_ready(widest_image).copy_memory();
    } catch (...) {
      vips_area_unref(VIPS_AREA(blob));
      throw;
    }
    vips_area_unref(VIPS_AREA(blob));

    std::set<int> widths;
    for (const int width : variant_widths) {
      widths.insert(std::min(width, widest_image.width()));
    }
    std::vector<EncodedVariant> variants;
    for (const int width : widths) {
      const auto sized =
          width == widest_image.width()
              ? widest_image
              : widest_image.thumbnail_image(width, VImage::option()->set("height", 10'000'000));
      variants.push_back(webp_variant(sized));
      variants.push_back(jpeg_variant(sized));
    }
    return variants;
  } catch (const vips::VError& error) {
    vips_error_clear();
    std::string reason{error.what()};
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) {
      reason.pop_back();
    }
    throw InvalidImage("the image cannot be decoded (" + reason.substr(0, 160) + ")");
  }
}

}  // namespace boxoffice::posters
