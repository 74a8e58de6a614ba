#include "test_images.hpp"

#include "posters/poster_images.hpp"

#include <mutex>
#include <stdexcept>

namespace boxoffice::posters::test_images {
namespace {

using vips::VImage;

void start_vips() {
  start_image_library();
}

VImage as_srgb(const VImage& image) {
  return image.cast(VIPS_FORMAT_UCHAR)
      .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

}  // namespace

VImage ramp(int width, int height, int blue) {
  start_vips();
  const auto xy = VImage::xyz(width, height);
  const auto red = xy[0] * (255.0 / width);
  const auto green = xy[1] * (255.0 / height);
  const auto blue_band = VImage::black(width, height) + blue;
  return as_srgb(VImage::bandjoin({red, green, blue_band}));
}

VImage noise(int width, int height) {
  start_vips();
  // Fixed seeds: the same pixels, so the same files, on every run.
  auto band = [width, height](int seed) {
    return VImage::gaussnoise(
        width, height, VImage::option()->set("mean", 128.0)->set("sigma", 60.0)->set("seed", seed));
  };
  return as_srgb(VImage::bandjoin({band(1), band(2), band(3)}));
}

std::string encode(const VImage& image, const char* suffix, vips::VOption* options) {
  start_vips();
  void* buffer = nullptr;
  std::size_t size = 0;
  image.write_to_buffer(suffix, &buffer, &size, options);
  std::string bytes{static_cast<const char*>(buffer), size};
  g_free(buffer);
  return bytes;
}

VImage decode(const std::string& bytes) {
  start_vips();
  // copy_memory decodes every pixel now, while `bytes` is still alive: a loaded image
  // reads from the caller's buffer, not a copy.
  return VImage::new_from_buffer(bytes, "",
                                 VImage::option()->set("fail_on", VIPS_FAIL_ON_TRUNCATED))
      .copy_memory();
}

VImage header_of(const std::string& bytes) {
  start_vips();
  // Sequential, as render_variants opens an upload to look at its header.
  return VImage::new_from_buffer(bytes, "",
                                 VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
}

std::string loader_of(const std::string& bytes) {
  return header_of(bytes).get_string("vips-loader");
}

}  // namespace boxoffice::posters::test_images
