// Builds the seat map from a validated layout and resolves seat ids back to seat indexes.
#include "domain/seat_map.hpp"

#include <charconv>
#include <map>
#include <vector>

namespace boxoffice::domain {

struct detail::SeatMapStorage {
  struct Section {
    std::string name;
    CategoryIndex category = 0;
    std::uint32_t first_row = 0;  // into rows
    std::uint32_t row_count = 0;
  };
  struct Row {
    std::string label;
    SeatIndex first_seat = 0;
    std::uint32_t seat_count = 0;
  };
  struct Area {
    std::string name;
    CategoryIndex category = 0;
    SeatIndex first_seat = 0;
    std::uint32_t capacity = 0;
  };

  std::vector<Section> sections;
  std::vector<Row> rows;  // all sections' rows, section by section
  std::vector<Area> areas;
  std::vector<CategoryInfo> categories;
  std::map<std::string, CategoryIndex, std::less<>> category_by_name;
  std::vector<std::vector<SeatRun>> runs_by_category;
  std::string ids;  // every seat id back to back; Seat::id points into it
  std::vector<Seat> seats;
};

namespace {

using Storage = detail::SeatMapStorage;

std::string numbered_seat_id(std::size_t section, std::size_t row, std::int64_t number) {
  return "s" + std::to_string(section) + "-r" + std::to_string(row) + "-" + std::to_string(number);
}

std::string area_place_id(std::size_t area, std::int64_t number) {
  return "a" + std::to_string(area) + "-" + std::to_string(number);
}

// Reads a decimal number without sign or leading zeros, so that each seat has exactly one
// spelling of its id ("s01-r0-1" is not "s1-r0-1").
std::optional<std::uint32_t> take_number(std::string_view& text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  if (digits == 0 || (digits > 1 && text.front() == '0')) {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + digits, value);
  if (error != std::errc{}) {
    return std::nullopt;
  }
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return value;
}

bool take_literal(std::string_view& text, std::string_view literal) {
  if (!text.starts_with(literal)) {
    return false;
  }
  text.remove_prefix(literal.size());
  return true;
}

CategoryIndex intern_category(Storage& storage, const std::string& name, std::int64_t seats) {
  const auto [it, inserted] = storage.category_by_name.try_emplace(
      name, static_cast<CategoryIndex>(storage.categories.size()));
  if (inserted) {
    storage.categories.push_back(CategoryInfo{name, 0});
    storage.runs_by_category.emplace_back();
  }
  storage.categories[it->second].capacity += seats;
  return it->second;
}

// First pass: the places and categories. Everything a Seat points into must be complete
// before the seats are made, because growing a vector would move the strings it holds.
void add_places(Storage& storage, const VenueLayout& layout) {
  SeatIndex next_seat = 0;
  for (const SectionLayout& section : layout.sections) {
    std::int64_t section_seats = 0;
    for (const RowLayout& row : section.rows) {
      section_seats += row.seats;
    }
    const CategoryIndex category = intern_category(storage, section.category, section_seats);
    storage.sections.push_back({section.name, category,
                                static_cast<std::uint32_t>(storage.rows.size()),
                                static_cast<std::uint32_t>(section.rows.size())});
    for (const RowLayout& row : section.rows) {
      const auto count = static_cast<std::uint32_t>(row.seats);
      storage.rows.push_back({row.label, next_seat, count});
      storage.runs_by_category[category].push_back({next_seat, count, SeatKind::numbered});
      next_seat += count;
    }
  }
  for (const AreaLayout& area : layout.areas) {
    const CategoryIndex category = intern_category(storage, area.category, area.capacity);
    const auto count = static_cast<std::uint32_t>(area.capacity);
    storage.areas.push_back({area.name, category, next_seat, count});
    storage.runs_by_category[category].push_back({next_seat, count, SeatKind::area_place});
    next_seat += count;
  }
}

// Second pass: the ids, written into one buffer to spare a heap block per seat.
std::vector<std::size_t> add_ids(Storage& storage, const VenueLayout& layout) {
  std::vector<std::size_t> ends;
  for (std::size_t s = 0; s < layout.sections.size(); ++s) {
    for (std::size_t r = 0; r < layout.sections[s].rows.size(); ++r) {
      for (std::int64_t n = 1; n <= layout.sections[s].rows[r].seats; ++n) {
        storage.ids += numbered_seat_id(s, r, n);
        ends.push_back(storage.ids.size());
      }
    }
  }
  for (std::size_t a = 0; a < layout.areas.size(); ++a) {
    for (std::int64_t n = 1; n <= layout.areas[a].capacity; ++n) {
      storage.ids += area_place_id(a, n);
      ends.push_back(storage.ids.size());
    }
  }
  return ends;
}

// Third pass: the seats, now that every string they point at has its final address.
void add_seats(Storage& storage, const std::vector<std::size_t>& id_ends) {
  const std::string_view ids = storage.ids;
  storage.seats.reserve(id_ends.size());
  const auto next_id = [&] {
    const std::size_t begin = storage.seats.empty() ? 0 : id_ends[storage.seats.size() - 1];
    return ids.substr(begin, id_ends[storage.seats.size()] - begin);
  };
  for (std::uint32_t s = 0; s < storage.sections.size(); ++s) {
    const Storage::Section& section = storage.sections[s];
    const CategoryIndex category = section.category;
    for (std::uint32_t r = 0; r < section.row_count; ++r) {
      const Storage::Row& row = storage.rows[section.first_row + r];
      for (std::uint32_t p = 0; p < row.seat_count; ++p) {
        Seat seat;
        seat.id = next_id();
        seat.category = storage.categories[category].name;
        seat.kind = SeatKind::numbered;
        seat.section = section.name;
        seat.row = row.label;
        seat.number = p + 1;
        seat.category_index = category;
        seat.section_index = s;
        seat.row_index = r;
        seat.position = p;
        storage.seats.push_back(seat);
      }
    }
  }
  for (std::uint32_t a = 0; a < storage.areas.size(); ++a) {
    const Storage::Area& area = storage.areas[a];
    const CategoryIndex category = area.category;
    for (std::uint32_t p = 0; p < area.capacity; ++p) {
      Seat seat;
      seat.id = next_id();
      seat.category = storage.categories[category].name;
      seat.kind = SeatKind::area_place;
      seat.area = area.name;
      seat.number = p + 1;
      seat.category_index = category;
      seat.area_index = a;
      seat.position = p;
      storage.seats.push_back(seat);
    }
  }
}

}  // namespace

SeatMap::SeatMap(std::shared_ptr<const detail::SeatMapStorage> storage)
    : storage_(std::move(storage)) {}

std::int64_t SeatMap::capacity() const noexcept {
  return static_cast<std::int64_t>(storage_->seats.size());
}

std::size_t SeatMap::size() const noexcept {
  return storage_->seats.size();
}

std::span<const Seat> SeatMap::seats() const noexcept {
  return storage_->seats;
}

const Seat& SeatMap::seat(SeatIndex index) const {
  return storage_->seats.at(index);
}

std::optional<SeatIndex> SeatMap::find(std::string_view id) const {
  std::string_view rest = id;
  std::optional<SeatIndex> index;
  if (take_literal(rest, "s")) {
    const auto section = take_number(rest);
    if (!section || *section >= storage_->sections.size() || !take_literal(rest, "-r")) {
      return std::nullopt;
    }
    const auto row = take_number(rest);
    const Storage::Section& s = storage_->sections[*section];
    if (!row || *row >= s.row_count || !take_literal(rest, "-")) {
      return std::nullopt;
    }
    const auto number = take_number(rest);
    const Storage::Row& r = storage_->rows[s.first_row + *row];
    if (!number || *number < 1 || *number > r.seat_count) {
      return std::nullopt;
    }
    index = r.first_seat + (*number - 1);
  } else if (take_literal(rest, "a")) {
    const auto area = take_number(rest);
    if (!area || *area >= storage_->areas.size() || !take_literal(rest, "-")) {
      return std::nullopt;
    }
    const auto number = take_number(rest);
    const Storage::Area& a = storage_->areas[*area];
    if (!number || *number < 1 || *number > a.capacity) {
      return std::nullopt;
    }
    index = a.first_seat + (*number - 1);
  }
  if (!index || !rest.empty()) {
    return std::nullopt;
  }
  return index;
}

std::span<const CategoryInfo> SeatMap::categories() const noexcept {
  return storage_->categories;
}

std::optional<CategoryIndex> SeatMap::find_category(std::string_view name) const {
  const auto it = storage_->category_by_name.find(name);
  if (it == storage_->category_by_name.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::span<const SeatRun> SeatMap::runs(CategoryIndex category) const {
  return storage_->runs_by_category.at(category);
}

Result<SeatMap> build_seat_map(const VenueLayout& layout) {
  if (auto error = validate_layout(layout)) {
    return std::move(*error);
  }
  // Filled in place: moving a finished storage would move the ids string, whose characters
  // live inside the string object itself when the venue is tiny.
  auto storage = std::make_shared<detail::SeatMapStorage>();
  add_places(*storage, layout);
  const std::vector<std::size_t> id_ends = add_ids(*storage, layout);
  add_seats(*storage, id_ends);
  return SeatMap(std::move(storage));
}

std::string_view to_string(SeatKind kind) noexcept {
  switch (kind) {
    case SeatKind::numbered:
      return "numbered";
    case SeatKind::area_place:
      return "area_place";
  }
  return "unknown";
}

}  // namespace boxoffice::domain
