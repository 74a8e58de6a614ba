#include "sales/venue_json.hpp"

#include "common/api_error.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace boxoffice::sales {
namespace {

const boost::json::array* optional_array(const boost::json::object& object, std::string_view key,
                                         const std::string& path) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) {
    return nullptr;
  }
  if (!value->is_array()) {
    throw errors::invalid_request(path + " must be an array", path);
  }
  return &value->as_array();
}

const boost::json::object& as_object(const boost::json::value& value, const std::string& path) {
  if (!value.is_object()) {
    throw errors::invalid_request(path + " must be an object", path);
  }
  return value.as_object();
}

std::string text(const boost::json::object& object, std::string_view key, const std::string& path) {
  const auto* value = object.if_contains(key);
  const auto field = path + "." + std::string{key};
  if (value == nullptr || !value->is_string()) {
    throw errors::invalid_request(field + " is required and must be a string", field);
  }
  return std::string{value->as_string()};
}

std::int64_t integer(const boost::json::object& object, std::string_view key,
                     const std::string& path) {
  const auto* value = object.if_contains(key);
  const auto field = path + "." + std::string{key};
  if (value == nullptr || !value->is_int64()) {
    if (value != nullptr && value->is_uint64()) {
      throw errors::invalid_request(field + " is out of range", field);
    }
    throw errors::invalid_request(field + " is required and must be an integer", field);
  }
  return value->as_int64();
}

// Bounds parsing work before the domain's own limits apply.
constexpr std::size_t max_list_items = 10'000;

void check_size(const boost::json::array& array, const std::string& path) {
  if (array.size() > max_list_items) {
    throw errors::invalid_request(path + " has too many items", path);
  }
}

}  // namespace

domain::VenueLayout layout_from_request(const boost::json::object& body) {
  domain::VenueLayout layout;
  if (const auto* sections = optional_array(body, "sections", "sections")) {
    check_size(*sections, "sections");
    for (std::size_t s = 0; s < sections->size(); ++s) {
      const auto path = "sections[" + std::to_string(s) + "]";
      const auto& section = as_object((*sections)[s], path);
      domain::SectionLayout parsed{
          text(section, "name", path), text(section, "category", path), {}};
      const auto* rows = optional_array(section, "rows", path + ".rows");
      if (rows == nullptr) {
        throw errors::invalid_request(path + ".rows is required", path + ".rows");
      }
      check_size(*rows, path + ".rows");
      for (std::size_t r = 0; r < rows->size(); ++r) {
        const auto row_path = path + ".rows[" + std::to_string(r) + "]";
        const auto& row = as_object((*rows)[r], row_path);
        parsed.rows.push_back({text(row, "label", row_path), integer(row, "seats", row_path)});
      }
      layout.sections.push_back(std::move(parsed));
    }
  }
  if (const auto* areas = optional_array(body, "areas", "areas")) {
    check_size(*areas, "areas");
    for (std::size_t a = 0; a < areas->size(); ++a) {
      const auto path = "areas[" + std::to_string(a) + "]";
      const auto& area = as_object((*areas)[a], path);
      layout.areas.push_back({text(area, "name", path), text(area, "category", path),
                              integer(area, "capacity", path)});
    }
  }
  return layout;
}

std::string layout_to_json(const domain::VenueLayout& layout) {
  boost::json::array sections;
  for (const auto& section : layout.sections) {
    boost::json::array rows;
    for (const auto& row : section.rows) {
      rows.push_back(boost::json::object{{"label", row.label}, {"seats", row.seats}});
    }
    sections.push_back(boost::json::object{
        {"name", section.name}, {"category", section.category}, {"rows", std::move(rows)}});
  }
  boost::json::array areas;
  for (const auto& area : layout.areas) {
    areas.push_back(boost::json::object{
        {"name", area.name}, {"category", area.category}, {"capacity", area.capacity}});
  }
  return boost::json::serialize(
      boost::json::object{{"sections", std::move(sections)}, {"areas", std::move(areas)}});
}

domain::VenueLayout layout_from_json(const std::string& text) {
  return layout_from_request(boost::json::parse(text).as_object());
}

}  // namespace boxoffice::sales
