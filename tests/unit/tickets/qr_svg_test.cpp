// QR SVGs: well-formed, deterministic, sized to their text, and a real QR symbol once
// the path is read back into modules.
#include "tickets/qr_svg.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace boxoffice::tickets {
namespace {

// A ticket code of typical length.
constexpr std::string_view code =
    "BO1.dGtfNWYxYzlhCmV2XzIwMjZfc3RhZGl1bQpOb3J0aC0xMi03."
    "Wm9vbGFuZGVyIGlzIGEgZ29vZCBmaWxtIGFuZCB0aGlzIGlzIG5vdCBhIHJlYWwgc2lnbmF0dXJlIGF0IGFsbC4";

std::string attribute(const std::string& svg, const std::string& name) {
  const std::string opening = " " + name + "=\"";
  const auto start = svg.find(opening);
  if (start == std::string::npos) {
    return {};
  }
  const auto value = start + opening.size();
  return svg.substr(value, svg.find('"', value) - value);
}

int viewbox_side(const std::string& svg) {
  int x = -1;
  int y = -1;
  int width = -1;
  int height = -1;
  if (std::sscanf(attribute(svg, "viewBox").c_str(), "%d %d %d %d", &x, &y, &width, &height) != 4 ||
      x != 0 || y != 0 || width != height) {
    return -1;
  }
  return width;
}

// Reads the path back into a module grid (quiet zone included), failing on any command
// the renderer does not write.
std::vector<std::vector<bool>> modules(const std::string& svg) {
  const int side = viewbox_side(svg);
  std::vector<std::vector<bool>> grid(static_cast<std::size_t>(side),
                                      std::vector<bool>(static_cast<std::size_t>(side), false));
  const std::string path = attribute(svg, "d");
  std::size_t at = 0;
  while (at < path.size()) {
    int x = 0;
    int y = 0;
    int run = 0;
    int back = 0;
    int used = 0;
    if (std::sscanf(path.c_str() + at, "M%d %dh%dv1h-%dz%n", &x, &y, &run, &back, &used) != 4 ||
        used == 0 || run != back || run <= 0 || x < 0 || y < 0 || x + run > side || y >= side) {
      ADD_FAILURE() << "unexpected path data at " << at << ": " << path.substr(at, 40);
      return grid;
    }
    for (int i = x; i < x + run; ++i) {
      EXPECT_FALSE(grid[static_cast<std::size_t>(y)][static_cast<std::size_t>(i)])
          << "overlapping runs";
      grid[static_cast<std::size_t>(y)][static_cast<std::size_t>(i)] = true;
    }
    at += static_cast<std::size_t>(used);
  }
  return grid;
}

// A finder pattern: dark 7x7 ring, light 5x5 ring, dark 3x3 centre, light separator.
void expect_finder(const std::vector<std::vector<bool>>& grid, int left, int top) {
  for (int y = -1; y <= 7; ++y) {
    for (int x = -1; x <= 7; ++x) {
      const int ring = std::max(std::max(-x, x - 6), std::max(-y, y - 6));  // 1 = separator
      const int depth = std::min(std::min(x, 6 - x), std::min(y, 6 - y));
      const bool dark = ring <= 0 && depth != 1;
      EXPECT_EQ(grid[static_cast<std::size_t>(top + y)][static_cast<std::size_t>(left + x)], dark)
          << "finder at " << left << "," << top << " module " << x << "," << y;
    }
  }
}

TEST(QrSvg, IsAWellFormedSvgDocument) {
  const std::string svg = qr_svg(code);
  EXPECT_TRUE(svg.starts_with("<svg ")) << svg.substr(0, 80);
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  EXPECT_EQ(attribute(svg, "xmlns"), "http://www.w3.org/2000/svg");
  EXPECT_EQ(attribute(svg, "width"), "256");
  EXPECT_EQ(attribute(svg, "height"), "256");
  EXPECT_EQ(attribute(svg, "shape-rendering"), "crispEdges");
  EXPECT_GT(viewbox_side(svg), 0);
  EXPECT_NE(svg.find("<rect "), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#fff\""), std::string::npos);
  EXPECT_EQ(std::count(svg.begin(), svg.end(), '<'), 4) << "svg, rect, path, closing svg";
  EXPECT_NE(svg.find("<path "), std::string::npos);
  EXPECT_EQ(svg.find("BO1."), std::string::npos) << "the text is not embedded";
}

TEST(QrSvg, TakesThePixelSize) {
  const std::string svg = qr_svg(code, 512);
  EXPECT_EQ(attribute(svg, "width"), "512");
  EXPECT_EQ(attribute(svg, "height"), "512");
  EXPECT_THROW((void)qr_svg(code, 0), std::invalid_argument);
}

TEST(QrSvg, IsDeterministic) {
  EXPECT_EQ(qr_svg(code), qr_svg(code));
}

TEST(QrSvg, LongerTextNeedsALargerSymbol) {
  const int short_side = viewbox_side(qr_svg("BO1.short"));
  const int long_side = viewbox_side(qr_svg(std::string{code} + std::string{code}));
  EXPECT_GT(long_side, short_side);
}

TEST(QrSvg, PathReadsBackAsAQrSymbolWithAQuietZone) {
  const std::string svg = qr_svg(code);
  const auto grid = modules(svg);
  const int side = static_cast<int>(grid.size());
  const int symbol = side - 8;
  ASSERT_GE(symbol, 21);
  EXPECT_EQ((symbol - 17) % 4, 0) << "QR versions are 21, 25, 29, ... modules wide";

  for (int i = 0; i < side; ++i) {
    for (int edge : {0, 1, 2, 3, side - 4, side - 3, side - 2, side - 1}) {
      EXPECT_FALSE(grid[static_cast<std::size_t>(i)][static_cast<std::size_t>(edge)]);
      EXPECT_FALSE(grid[static_cast<std::size_t>(edge)][static_cast<std::size_t>(i)]);
    }
  }
  expect_finder(grid, 4, 4);
  expect_finder(grid, 4 + symbol - 7, 4);
  expect_finder(grid, 4, 4 + symbol - 7);
  for (int i = 8; i < symbol - 8; ++i) {
    EXPECT_EQ(grid[4 + 6][static_cast<std::size_t>(4 + i)], i % 2 == 0) << "timing pattern";
  }
}

TEST(QrSvg, EncodesTheLongestTicketCode) {
  EXPECT_GT(viewbox_side(qr_svg(std::string(1024, 'A'))), 0);
}

TEST(QrSvg, RefusesTextThatCannotBeEncoded) {
  EXPECT_GT(viewbox_side(qr_svg(std::string(qr_text_bytes_max, 'x'))), 177)
      << "version 40 is 177 modules wide";
  EXPECT_THROW((void)qr_svg(std::string(qr_text_bytes_max + 1, 'x')), std::runtime_error);
  EXPECT_THROW((void)qr_svg(""), std::runtime_error);
}

}  // namespace
}  // namespace boxoffice::tickets
