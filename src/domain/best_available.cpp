// The best-available search described in best_available.hpp.
#include "domain/best_available.hpp"

#include <algorithm>
#include <limits>
#include <optional>

namespace boxoffice::domain {
namespace {

// Twice the distance between the centre of a block and the centre of its row, doubled so that
// half-seat centres stay integers.
std::int64_t centre_distance(std::int64_t start, std::int64_t quantity, std::int64_t row_length) {
  const std::int64_t offset = 2 * start + quantity - row_length;
  return offset < 0 ? -offset : offset;
}

// The start of the most central block of `quantity` adjacent free seats in the row, if any.
// The distance is convex in the start, so within each run of free seats the best start is
// the ideal one clamped into the run; ties keep the earlier (further left) block.
std::optional<std::uint32_t> best_block(const SeatRun& row, std::uint32_t quantity,
                                        const SeatSet& free) {
  const std::uint32_t ideal = (row.count - quantity) / 2;
  std::optional<std::uint32_t> best;
  std::int64_t best_distance = std::numeric_limits<std::int64_t>::max();
  std::uint32_t run_start = 0;
  for (std::uint32_t p = 0; p <= row.count; ++p) {
    if (p < row.count && free.contains(row.first + p)) {
      continue;
    }
    if (p - run_start >= quantity) {
      const std::uint32_t start = std::clamp(ideal, run_start, p - quantity);
      const std::int64_t distance = centre_distance(start, quantity, row.count);
      if (distance < best_distance) {
        best = start;
        best_distance = distance;
      }
    }
    run_start = p + 1;
  }
  return best;
}

// Adds the run's free seats to `chosen` until it holds `quantity`: from the centre outwards
// in a row, from the lowest number in an area.
void gather(const SeatRun& run, std::size_t quantity, const SeatSet& free,
            std::vector<SeatIndex>& chosen) {
  const auto take = [&](std::int64_t position) {
    const SeatIndex index = run.first + static_cast<SeatIndex>(position);
    if (chosen.size() < quantity && free.contains(index)) {
      chosen.push_back(index);
    }
  };
  const std::int64_t length = run.count;
  if (run.kind == SeatKind::area_place) {
    for (std::int64_t p = 0; p < length && chosen.size() < quantity; ++p) {
      take(p);
    }
    return;
  }
  // left and right step away from the centre together, so they leave the row together.
  std::int64_t left = (length - 1) / 2;
  std::int64_t right = length / 2;
  if (left == right) {
    take(left);
    --left;
    ++right;
  }
  for (; left >= 0 && chosen.size() < quantity; --left, ++right) {
    take(left);
    take(right);
  }
}

std::optional<SeatSelection> choose_together(const SeatMap& map, CategoryIndex category,
                                             std::uint32_t quantity, const SeatSet& free) {
  for (const SeatRun& run : map.runs(category)) {
    if (run.count < quantity || free.count(run.first, run.count) < quantity) {
      continue;
    }
    SeatSelection selection{{}, true};
    selection.seats.reserve(quantity);
    if (run.kind == SeatKind::area_place) {
      gather(run, quantity, free, selection.seats);
      return selection;
    }
    if (const auto start = best_block(run, quantity, free)) {
      for (std::uint32_t p = 0; p < quantity; ++p) {
        selection.seats.push_back(run.first + *start + p);
      }
      return selection;
    }
  }
  return std::nullopt;
}

SeatSelection choose_split(const SeatMap& map, CategoryIndex category, std::uint32_t quantity,
                           const SeatSet& free) {
  SeatSelection selection{{}, false};
  selection.seats.reserve(quantity);
  for (const SeatRun& run : map.runs(category)) {
    if (selection.seats.size() == quantity) {
      break;
    }
    gather(run, quantity, free, selection.seats);
  }
  std::sort(selection.seats.begin(), selection.seats.end());
  return selection;
}

}  // namespace

Expected<SeatSelection, BestAvailableError> best_available(const SeatMap& map,
                                                           std::string_view category,
                                                           std::int64_t quantity,
                                                           const SeatSet& free) {
  const auto index = map.find_category(category);
  if (!index) {
    return BestAvailableError::unknown_category;
  }
  return best_available(map, *index, quantity, free);
}

Expected<SeatSelection, BestAvailableError> best_available(const SeatMap& map,
                                                           CategoryIndex category,
                                                           std::int64_t quantity,
                                                           const SeatSet& free) {
  if (category >= map.categories().size()) {
    return BestAvailableError::unknown_category;
  }
  if (quantity < 1) {
    return BestAvailableError::invalid_quantity;
  }
  if (count_free(map, category, free) < quantity) {
    return BestAvailableError::not_enough_seats;
  }
  // Bounded by the category's free seats, hence by the venue capacity.
  const auto wanted = static_cast<std::uint32_t>(quantity);
  if (auto together = choose_together(map, category, wanted, free)) {
    return std::move(*together);
  }
  return choose_split(map, category, wanted, free);
}

std::int64_t count_free(const SeatMap& map, CategoryIndex category, const SeatSet& free) {
  std::int64_t total = 0;
  for (const SeatRun& run : map.runs(category)) {
    total += static_cast<std::int64_t>(free.count(run.first, run.count));
  }
  return total;
}

}  // namespace boxoffice::domain
