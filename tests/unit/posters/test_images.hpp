// Images drawn with libvips while the tests run, and the files they become, so that no
// binary is checked in and every property a test relies on (size, orientation, alpha,
// metadata) is written out in the test itself.
#pragma once

#include <vips/vips8>

#include <string>

namespace boxoffice::posters::test_images {

// A smooth colour ramp: it compresses well, so even large test images stay cheap.
// Different `blue` levels give different images (and so different variant names).
vips::VImage ramp(int width, int height, int blue = 128);

// Independent noise in every band. Its JPEG is almost all entropy-coded data, so cutting
// the file anywhere past the first few kilobytes cuts pixels rather than headers.
vips::VImage noise(int width, int height);

// `suffix` picks the format the way libvips does: ".jpg", ".png", ".webp", ".gif", ".tif".
std::string encode(const vips::VImage& image, const char* suffix, vips::VOption* options = nullptr);

// All of `bytes` decoded (a truncated file throws), with the metadata the file carries.
vips::VImage decode(const std::string& bytes);

// Only the header of `bytes`, which is all a loader reads before it decodes pixels. The
// image reads from `bytes` itself: look at its header fields only, while `bytes` lives.
vips::VImage header_of(const std::string& bytes);

// The libvips loader that recognises `bytes`, e.g. "jpegload_buffer".
std::string loader_of(const std::string& bytes);

}  // namespace boxoffice::posters::test_images
