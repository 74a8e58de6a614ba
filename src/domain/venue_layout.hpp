// A venue's layout as an admin submits it, and the checks it must pass before it becomes a
// seat map. The limits keep one venue's seat map small enough to hold in memory and to scan
// on every best-available request.
#pragma once

#include "domain/expected.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace boxoffice::domain {

inline constexpr std::size_t name_length_max = 100;     // in characters (UTF-8 code points)
inline constexpr std::size_t category_length_max = 50;  // ASCII identifier
inline constexpr std::int64_t row_seats_max = 10'000;
inline constexpr std::int64_t area_capacity_max = 10'000;
inline constexpr std::int64_t venue_capacity_max = 200'000;

struct RowLayout {
  std::string label;
  std::int64_t seats = 0;  // numbered 1..seats
};

struct SectionLayout {
  std::string name;
  std::string category;
  std::vector<RowLayout> rows;  // in order from the stage outwards
};

struct AreaLayout {
  std::string name;
  std::string category;
  std::int64_t capacity = 0;
};

// Sections come first in seat order and in best-available preference, in the order given.
struct VenueLayout {
  std::vector<SectionLayout> sections;
  std::vector<AreaLayout> areas;
};

// The first rule the layout breaks, or nothing when it is valid. Rules:
// - at least one section or area; every section has at least one row;
// - section and area names are non-empty, at most name_length_max characters, without
//   control characters, and unique across sections and areas (a seat is listed by name);
// - row labels follow the same text rule and are unique within their section;
// - a category is an identifier: an ASCII letter, then letters, digits, '_' or '-', at most
//   category_length_max long (it is a key of the event's price list);
// - seats per row and capacity per area are 1..10000, and the venue holds at most 200000.
[[nodiscard]] std::optional<ValidationError> validate_layout(const VenueLayout& layout);

// Shared with other rules that take admin-entered text.
[[nodiscard]] bool is_category_identifier(std::string_view text);
[[nodiscard]] std::size_t utf8_length(std::string_view text);

}  // namespace boxoffice::domain
