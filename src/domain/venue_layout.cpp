// Layout validation: the first broken rule wins, so the admin gets one precise field to fix.
#include "domain/venue_layout.hpp"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace boxoffice::domain {
namespace {

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

bool has_control_character(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return true;
    }
  }
  return false;
}

// Names and labels end up in listings, tickets and receipts, so they must be printable.
std::optional<std::string> check_display_text(std::string_view text) {
  if (is_blank(text)) {
    return "must not be empty";
  }
  if (has_control_character(text)) {
    return "must not contain control characters";
  }
  if (utf8_length(text) > name_length_max) {
    return "must be at most " + std::to_string(name_length_max) + " characters";
  }
  return std::nullopt;
}

std::optional<std::string> check_category(std::string_view text) {
  if (text.empty()) {
    return "must not be empty";
  }
  if (text.size() > category_length_max) {
    return "must be at most " + std::to_string(category_length_max) + " characters";
  }
  if (!is_category_identifier(text)) {
    return "must start with a letter and contain only letters, digits, '_' or '-'";
  }
  return std::nullopt;
}

std::string section_path(std::size_t index) {
  return "sections[" + std::to_string(index) + "]";
}

std::string area_path(std::size_t index) {
  return "areas[" + std::to_string(index) + "]";
}

// Walks the layout once, keeping the running capacity so that an oversized venue is refused
// at the first row that overflows it instead of after summing everything.
class LayoutChecker {
 public:
  std::optional<ValidationError> check(const VenueLayout& layout) {
    if (layout.sections.empty() && layout.areas.empty()) {
      return ValidationError{"sections", "a venue needs at least one section or area"};
    }
    for (std::size_t i = 0; i < layout.sections.size(); ++i) {
      if (auto error = check_section(layout.sections[i], section_path(i))) {
        return error;
      }
    }
    for (std::size_t i = 0; i < layout.areas.size(); ++i) {
      if (auto error = check_area(layout.areas[i], area_path(i))) {
        return error;
      }
    }
    return std::nullopt;
  }

 private:
  std::optional<ValidationError> check_section(const SectionLayout& section,
                                               const std::string& path) {
    if (auto error = check_place_name(section.name, path, "a section")) {
      return error;
    }
    if (auto message = check_category(section.category)) {
      return ValidationError{path + ".category", *message};
    }
    if (section.rows.empty()) {
      return ValidationError{path + ".rows", "a section needs at least one row"};
    }
    std::unordered_set<std::string_view> labels;
    for (std::size_t r = 0; r < section.rows.size(); ++r) {
      const RowLayout& row = section.rows[r];
      const std::string row_path = path + ".rows[" + std::to_string(r) + "]";
      if (auto message = check_display_text(row.label)) {
        return ValidationError{row_path + ".label", *message};
      }
      if (!labels.insert(row.label).second) {
        return ValidationError{
            row_path + ".label",
            "row '" + row.label + "' appears twice in section '" + section.name + "'"};
      }
      if (row.seats < 1 || row.seats > row_seats_max) {
        return ValidationError{row_path + ".seats",
                               "must be between 1 and " + std::to_string(row_seats_max)};
      }
      if (auto error = add_capacity(row.seats, row_path + ".seats")) {
        return error;
      }
    }
    return std::nullopt;
  }

  std::optional<ValidationError> check_area(const AreaLayout& area, const std::string& path) {
    if (auto error = check_place_name(area.name, path, "an area")) {
      return error;
    }
    if (auto message = check_category(area.category)) {
      return ValidationError{path + ".category", *message};
    }
    if (area.capacity < 1 || area.capacity > area_capacity_max) {
      return ValidationError{path + ".capacity",
                             "must be between 1 and " + std::to_string(area_capacity_max)};
    }
    return add_capacity(area.capacity, path + ".capacity");
  }

  std::optional<ValidationError> check_place_name(const std::string& name, const std::string& path,
                                                  std::string_view kind) {
    if (auto message = check_display_text(name)) {
      return ValidationError{path + ".name", *message};
    }
    const auto [existing, inserted] = names_.try_emplace(name, kind);
    if (!inserted) {
      return ValidationError{
          path + ".name", "'" + name + "' is already the name of " + std::string(existing->second)};
    }
    return std::nullopt;
  }

  std::optional<ValidationError> add_capacity(std::int64_t seats, const std::string& path) {
    capacity_ += seats;
    if (capacity_ > venue_capacity_max) {
      return ValidationError{
          path, "the venue would hold more than " + std::to_string(venue_capacity_max) + " seats"};
    }
    return std::nullopt;
  }

  // Section and area names seen so far, each with "a section" or "an area" for the message.
  std::unordered_map<std::string_view, std::string_view> names_;
  std::int64_t capacity_ = 0;
};

}  // namespace

std::optional<ValidationError> validate_layout(const VenueLayout& layout) {
  return LayoutChecker{}.check(layout);
}

bool is_category_identifier(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  const auto is_letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!is_letter(text.front())) {
    return false;
  }
  for (const char c : text) {
    if (!is_letter(c) && !is_digit(c) && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

std::size_t utf8_length(std::string_view text) {
  std::size_t length = 0;
  for (const char c : text) {
    // Continuation bytes (10xxxxxx) belong to the code point started before them.
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) {
      ++length;
    }
  }
  return length;
}

}  // namespace boxoffice::domain
