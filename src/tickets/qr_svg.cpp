// Renders libqrencode's module matrix as a compact SVG.
#include "tickets/qr_svg.hpp"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <stdexcept>
#include <system_error>

namespace boxoffice::tickets {
namespace {

constexpr int quiet_zone_modules = 4;

using QrCodePtr = std::unique_ptr<QRcode, decltype(&QRcode_free)>;

QrCodePtr encode(std::string_view text) {
  if (text.empty()) {
    throw std::runtime_error("cannot make a QR code of empty text");
  }
  if (text.size() > qr_text_bytes_max) {
    throw std::runtime_error("text of " + std::to_string(text.size()) +
                             " bytes is too long for a QR code (at most " +
                             std::to_string(qr_text_bytes_max) + ")");
  }
  errno = 0;
  QrCodePtr code{
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
      &QRcode_free};
  if (!code) {
    throw std::runtime_error("QR encoding failed: " + std::generic_category().message(errno));
  }
  return code;
}

}  // namespace

std::string qr_svg(std::string_view text, unsigned size_px) {
  if (size_px == 0) {
    throw std::invalid_argument("QR code size must be at least 1 pixel");
  }
  const QrCodePtr code = encode(text);
  const int width = code->width;
  const std::string side = std::to_string(width + 2 * quiet_zone_modules);
  const std::string pixels = std::to_string(size_px);

  std::string svg;
  // Roughly one dark run per four modules, each written in about 16 characters.
  svg.reserve(static_cast<std::size_t>(width) * static_cast<std::size_t>(width) * 4 + 256);
  svg += R"(<svg xmlns="http://www.w3.org/2000/svg" width=")" + pixels + R"(" height=")" + pixels +
         R"(" viewBox="0 0 )" + side + " " + side +
         R"(" shape-rendering="crispEdges"><rect width=")" + side + R"(" height=")" + side +
         R"(" fill="#fff"/><path fill="#000" d=")";
  // One rectangle per horizontal run of dark modules rather than one per module: a smaller
  // file, and no hairline seams inside a run when a viewer scales it with anti-aliasing.
  const unsigned char* row = code->data;
  for (int y = 0; y < width; ++y, row += width) {
    int x = 0;
    while (x < width) {
      // Bit 0 is the module colour; the other bits describe its role in the symbol.
      if ((row[x] & 1U) == 0) {
        ++x;
        continue;
      }
      const int start = x;
      while (x < width && (row[x] & 1U) != 0) {
        ++x;
      }
      const std::string run = std::to_string(x - start);
      svg += 'M';
      svg += std::to_string(start + quiet_zone_modules);
      svg += ' ';
      svg += std::to_string(y + quiet_zone_modules);
      svg += 'h';
      svg += run;
      svg += "v1h-";
      svg += run;
      svg += 'z';
    }
  }
  svg += "\"/></svg>\n";
  return svg;
}

}  // namespace boxoffice::tickets
