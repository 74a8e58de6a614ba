// QR codes of ticket codes as SVG, for GET /tickets/{id}/qr.svg and printed tickets.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace boxoffice::tickets {

// Version 40 at error correction level M holds this many bytes in byte mode.
inline constexpr std::size_t qr_text_bytes_max = 2331;

// A standalone SVG document of `text` as a QR code: byte mode, error correction level M
// (survives about 15% damage, a scuffed phone screen or a creased print-out), the smallest
// version that fits, and the 4-module quiet zone scanners need. The viewBox counts modules
// and `size_px` sets the width and height attributes. The text itself is not embedded,
// so it needs no XML escaping. Same input, same bytes out.
// Throws std::runtime_error when the text is empty or longer than qr_text_bytes_max, or
// libqrencode fails; std::invalid_argument when size_px is 0.
std::string qr_svg(std::string_view text, unsigned size_px = 256);

}  // namespace boxoffice::tickets
