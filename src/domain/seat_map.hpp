// The seat map of a venue: every numbered seat and general-admission place, with its stable
// id, its category, and the indexes that best-available and the seat bitsets work with.
//
// Seat ids are derived from the position in the layout, so the same layout always yields the
// same ids (venues are immutable, so a seat keeps its id for the life of the venue):
//   numbered seat:        s{section index}-r{row index}-{seat number}   e.g. "s0-r2-14"
//   general-admission:    a{area index}-{place number}                  e.g. "a1-250"
// Section, row and area indexes count from 0 in layout order; seat and place numbers count
// from 1. Clients treat ids as opaque; only this file relies on their shape.
//
// Seat indexes (SeatIndex) number all seats 0..size()-1 in layout order: sections, their rows
// and seats in order, then the areas. They are what SeatSet and best-available speak.
#pragma once

#include "domain/expected.hpp"
#include "domain/venue_layout.hpp"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace boxoffice::domain {
namespace detail {
struct SeatMapStorage;
}  // namespace detail

using SeatIndex = std::uint32_t;
using CategoryIndex = std::uint32_t;
inline constexpr std::uint32_t no_index = std::numeric_limits<std::uint32_t>::max();

enum class SeatKind : std::uint8_t { numbered, area_place };

// The text members are views into the SeatMap's storage: they stay valid while any copy of
// the SeatMap that produced them is alive. Copy them into strings to keep them longer.
struct Seat {
  std::string_view id;
  std::string_view category;
  SeatKind kind = SeatKind::numbered;
  std::string_view section;  // empty for an area place
  std::string_view row;      // empty for an area place
  std::string_view area;     // empty for a numbered seat
  std::uint32_t number = 0;  // seat number in its row, or place number in its area, from 1
  CategoryIndex category_index = 0;
  std::uint32_t section_index = no_index;  // no_index for an area place
  std::uint32_t row_index = no_index;      // within the section; no_index for an area place
  std::uint32_t area_index = no_index;     // no_index for a numbered seat
  std::uint32_t position = 0;              // number - 1: the offset in its row or area
};

struct CategoryInfo {
  std::string name;
  std::int64_t capacity = 0;
};

// Consecutive seat indexes forming one row (left to right) or one area (by place number).
struct SeatRun {
  SeatIndex first = 0;
  std::uint32_t count = 0;
  SeatKind kind = SeatKind::numbered;
};

// Immutable once built; copies share the storage, so passing it around by value is cheap.
class SeatMap {
 public:
  [[nodiscard]] std::int64_t capacity() const noexcept;
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] std::span<const Seat> seats() const noexcept;
  // index must be below size().
  [[nodiscard]] const Seat& seat(SeatIndex index) const;
  // The seat with this id, or nothing for an id that is malformed or outside this venue.
  [[nodiscard]] std::optional<SeatIndex> find(std::string_view id) const;

  // In order of first appearance in the layout.
  [[nodiscard]] std::span<const CategoryInfo> categories() const noexcept;
  [[nodiscard]] std::optional<CategoryIndex> find_category(std::string_view name) const;
  // The category's rows and areas in best-available preference order: sections and rows as
  // given (nearest the stage first), then areas. category must be below categories().size().
  [[nodiscard]] std::span<const SeatRun> runs(CategoryIndex category) const;

 private:
  explicit SeatMap(std::shared_ptr<const detail::SeatMapStorage> storage);
  friend Result<SeatMap> build_seat_map(const VenueLayout& layout);

  std::shared_ptr<const detail::SeatMapStorage> storage_;
};

// Validates the layout (see validate_layout) and builds its seat map.
[[nodiscard]] Result<SeatMap> build_seat_map(const VenueLayout& layout);

[[nodiscard]] std::string_view to_string(SeatKind kind) noexcept;

}  // namespace boxoffice::domain
