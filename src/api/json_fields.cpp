#include "api/json_fields.hpp"

#include "api/duplicate_keys.hpp"
#include "common/api_error.hpp"

#include <boost/json/parse.hpp>

namespace boxoffice::api {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

bool has_control_characters(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xc0) != 0x80) {
      ++count;
    }
  }
  return count;
}

boost::json::object parse_object(const http::Request& request) {
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code error;
  auto value = boost::json::parse(request.message.body(), error, {}, options);
  if (error) {
    throw errors::invalid_request("the body is not valid JSON");
  }
  if (!value.is_object()) {
    throw errors::invalid_request("the body must be a JSON object");
  }
  if (has_duplicate_keys(request.message.body())) {
    throw errors::invalid_request("the body repeats a key");
  }
  return std::move(value.as_object());
}

std::optional<std::string> optional_text(const boost::json::object& body, std::string_view field,
                                         TextLimits limits) {
  const auto* value = body.if_contains(field);
  if (value == nullptr || value->is_null()) {
    return std::nullopt;
  }
  if (!value->is_string()) {
    throw errors::invalid_request(std::string{field} + " must be a string", std::string{field});
  }
  std::string_view text = value->as_string();
  if (limits.trim) {
    text = trim(text);
  }
  if (has_control_characters(text)) {
    throw errors::invalid_request(std::string{field} + " must not contain control characters",
                                  std::string{field});
  }
  const auto length = utf8_length(text);
  if (length < limits.min_chars || length > limits.max_chars) {
    throw errors::invalid_request(std::string{field} + " must be " +
                                      std::to_string(limits.min_chars) + " to " +
                                      std::to_string(limits.max_chars) + " characters",
                                  std::string{field});
  }
  return std::string{text};
}

std::string required_text(const boost::json::object& body, std::string_view field,
                          TextLimits limits) {
  auto text = optional_text(body, field, limits);
  if (!text) {
    throw errors::invalid_request(std::string{field} + " is required", std::string{field});
  }
  return std::move(*text);
}

std::optional<std::int64_t> optional_integer(const boost::json::object& body,
                                             std::string_view field, std::int64_t min,
                                             std::int64_t max) {
  const auto* value = body.if_contains(field);
  if (value == nullptr || value->is_null()) {
    return std::nullopt;
  }
  std::optional<std::int64_t> number;
  if (value->is_int64()) {
    number = value->as_int64();
  } else if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(max)) {
    number = static_cast<std::int64_t>(value->as_uint64());
  }
  if (!number || *number < min || *number > max) {
    throw errors::invalid_request(std::string{field} + " must be an integer from " +
                                      std::to_string(min) + " to " + std::to_string(max),
                                  std::string{field});
  }
  return number;
}

}  // namespace boxoffice::api
