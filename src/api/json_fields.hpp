// Reading request bodies: strict JSON parsing with bounds, and typed field access that
// answers 400 invalid_request naming the field.
#pragma once

#include "http/message.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace boxoffice::api {

// The body as a JSON object; rejects invalid UTF-8, depth over 32, and non-objects.
boost::json::object parse_object(const http::Request& request);

struct TextLimits {
  std::size_t min_chars = 0;
  std::size_t max_chars = 200;
  bool trim = true;
};

// A string field: trimmed (unless told otherwise), without control characters, and
// within the length limits counted in characters, not bytes.
std::string required_text(const boost::json::object& body, std::string_view field,
                          TextLimits limits);
std::optional<std::string> optional_text(const boost::json::object& body, std::string_view field,
                                         TextLimits limits);

std::optional<std::int64_t> optional_integer(const boost::json::object& body,
                                             std::string_view field, std::int64_t min,
                                             std::int64_t max);

// Number of Unicode code points in valid UTF-8.
std::size_t utf8_length(std::string_view text);

}  // namespace boxoffice::api
