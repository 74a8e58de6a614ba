// Best available: picks the seats of one category for a hold request of {category, quantity}.
//
// The rule, deterministic for the same map, category, quantity and free seats:
// 1. Candidate places are the category's rows in layout order (sections in the order given,
//    then each section's rows in the order given; earlier rows are nearer the stage), followed
//    by the category's general-admission areas in the order given.
// 2. Together: the first row that has `quantity` adjacent free seats wins. Within it, the block
//    whose centre is nearest the centre of the row is taken; between two equally central
//    blocks, the one further left (lower seat numbers). A nearer row always beats a more
//    central block in a farther row. An area counts as together when it has `quantity` free
//    places; its lowest-numbered free places are taken.
// 3. Split: when no row or area can take the whole party, seats are gathered place by place in
//    the same order, taking in each row its free seats from the centre outwards (left first on
//    a tie) and in each area its lowest-numbered free places, until `quantity` are found.
//    So the request never fails while the category has enough free seats.
// 4. Fewer free seats in the category than `quantity`: not_enough_seats, nothing chosen.
//
// Cost: O(seats of the category) per call, with no allocation beyond the answer; rows without
// enough free seats are skipped with popcounts.
#pragma once

#include "domain/expected.hpp"
#include "domain/seat_map.hpp"
#include "domain/seat_set.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace boxoffice::domain {

enum class BestAvailableError {
  unknown_category,  // not a category of this venue: a bad request
  invalid_quantity,  // below 1: a bad request
  not_enough_seats,  // the category has fewer free seats than asked: sold out
};

struct SeatSelection {
  std::vector<SeatIndex> seats;  // ascending, exactly the quantity asked for
  bool together = false;         // adjacent in one row, or all in one area
};

[[nodiscard]] Expected<SeatSelection, BestAvailableError> best_available(const SeatMap& map,
                                                                         std::string_view category,
                                                                         std::int64_t quantity,
                                                                         const SeatSet& free);

// category must be below map.categories().size().
[[nodiscard]] Expected<SeatSelection, BestAvailableError> best_available(const SeatMap& map,
                                                                         CategoryIndex category,
                                                                         std::int64_t quantity,
                                                                         const SeatSet& free);

// Free seats of the category. category must be below map.categories().size().
[[nodiscard]] std::int64_t count_free(const SeatMap& map, CategoryIndex category,
                                      const SeatSet& free);

}  // namespace boxoffice::domain
