// Reading the JSON of answers and files without a wall of checks at every call site.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace boxoffice::rush {

// The object, or an empty one when `text` is not a JSON object.
boost::json::object parse_object(std::string_view text);
// Throws std::runtime_error naming the key when it is missing or of another type.
std::string string_at(const boost::json::object& object, std::string_view key);
std::int64_t integer_at(const boost::json::object& object, std::string_view key);
const boost::json::object& object_at(const boost::json::object& object, std::string_view key);
const boost::json::array& array_at(const boost::json::object& object, std::string_view key);
// Empty when missing or not a string.
std::string string_or_empty(const boost::json::object& object, std::string_view key);

// Indented JSON for files people read.
std::string pretty(const boost::json::value& value);

}  // namespace boxoffice::rush
