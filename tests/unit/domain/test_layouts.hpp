// Small layouts and helpers shared by the domain tests, so each test states only what matters.
#pragma once

#include "domain/seat_map.hpp"
#include "domain/seat_set.hpp"
#include "domain/venue_layout.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace boxoffice::domain::test_support {

// One section whose rows are labelled "A", "B", ... with the given seat counts.
inline SectionLayout section(std::string name, std::string category,
                             const std::vector<std::int64_t>& row_seats) {
  SectionLayout result{std::move(name), std::move(category), {}};
  for (std::size_t i = 0; i < row_seats.size(); ++i) {
    result.rows.push_back({std::string(1, static_cast<char>('A' + i % 26)) +
                               (i >= 26 ? std::to_string(i / 26) : std::string()),
                           row_seats[i]});
  }
  return result;
}

inline SeatMap build(const VenueLayout& layout) {
  auto map = build_seat_map(layout);
  if (!map) {
    throw std::runtime_error("test layout refused: " + map.error().field + ": " +
                             map.error().message);
  }
  return std::move(map).value();
}

// A single section in category "standard" with the given rows.
inline SeatMap rows_map(const std::vector<std::int64_t>& row_seats) {
  return build(VenueLayout{{section("Stalls", "standard", row_seats)}, {}});
}

inline std::vector<std::string> ids_of(const SeatMap& map, const std::vector<SeatIndex>& seats) {
  std::vector<std::string> ids;
  for (const SeatIndex index : seats) {
    ids.emplace_back(map.seat(index).id);
  }
  return ids;
}

// Marks seats taken by id.
inline void take(const SeatMap& map, SeatSet& free, const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    const auto index = map.find(id);
    if (!index) {
      throw std::runtime_error("no seat " + id);
    }
    free.erase(*index);
  }
}

// A free set from a row pattern such as "x..x.": '.' free, 'x' taken, one string per row of
// the first section.
inline SeatSet free_from_pattern(const SeatMap& map, const std::vector<std::string>& rows) {
  SeatSet free(map.size(), true);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t p = 0; p < rows[r].size(); ++p) {
      if (rows[r][p] == 'x') {
        take(map, free, {"s0-r" + std::to_string(r) + "-" + std::to_string(p + 1)});
      }
    }
  }
  return free;
}

}  // namespace boxoffice::domain::test_support
