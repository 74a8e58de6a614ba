// Turns an uploaded image into the sized variants a page needs. Blocking and CPU-heavy:
// callers run it on the image worker pool, never on an I/O thread.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace boxoffice::posters {

// The upload is not an image we accept; the message says why, for the 400 answer.
class InvalidImage : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ImageLimits {
  std::int64_t max_pixels = 40'000'000;
};

struct EncodedVariant {
  int width = 0;
  int height = 0;
  std::string content_type;  // image/webp or image/jpeg
  std::string bytes;
};

// The widths pages ask for; an image narrower than one gets its own width instead, never
// an upscaled copy.
inline constexpr int variant_widths[] = {320, 640, 1280};

// Starts libvips once per process with the settings uploads need (no operation cache, one
// thread per image, untrusted loaders blocked). render_variants calls it; so may tests.
void start_image_library();

// Decodes `upload` fully (a JPEG, PNG or WebP; anything else, a truncated file or one
// over the pixel limit throws InvalidImage), applies its EXIF orientation, drops its
// metadata and encodes every variant width in WebP and JPEG, narrowest first.
std::vector<EncodedVariant> render_variants(std::string_view upload, const ImageLimits& limits);

}  // namespace boxoffice::posters
