#include "rush/json_util.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace boxoffice::rush {
namespace {

const boost::json::value& value_at(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) {
    throw std::runtime_error("missing \"" + std::string{key} + "\"");
  }
  return *value;
}

[[noreturn]] void wrong_type(std::string_view key, std::string_view expected) {
  throw std::runtime_error("\"" + std::string{key} + "\" is not " + std::string{expected});
}

void write_pretty(std::string& out, const boost::json::value& value, int depth) {
  const std::string indent(static_cast<std::size_t>(depth + 1) * 2, ' ');
  const std::string closing(static_cast<std::size_t>(depth) * 2, ' ');
  if (value.is_object() && !value.as_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [key, member] : value.as_object()) {
      out += first ? "" : ",\n";
      first = false;
      out += indent + boost::json::serialize(boost::json::string(key)) + ": ";
      write_pretty(out, member, depth + 1);
    }
    out += "\n" + closing + "}";
  } else if (value.is_array() && !value.as_array().empty()) {
    // Arrays of scalars stay on one line: seat lists would otherwise take a page each.
    bool scalars = true;
    for (const auto& item : value.as_array()) {
      scalars = scalars && !item.is_object() && !item.is_array();
    }
    if (scalars) {
      out += boost::json::serialize(value);
      return;
    }
    out += "[\n";
    bool first = true;
    for (const auto& item : value.as_array()) {
      out += first ? "" : ",\n";
      first = false;
      out += indent;
      write_pretty(out, item, depth + 1);
    }
    out += "\n" + closing + "]";
  } else {
    out += boost::json::serialize(value);
  }
}

}  // namespace

boost::json::object parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    return {};
  }
  return std::move(value.as_object());
}

std::string string_at(const boost::json::object& object, std::string_view key) {
  const auto& value = value_at(object, key);
  if (!value.is_string()) {
    wrong_type(key, "a string");
  }
  return std::string{value.as_string()};
}

std::int64_t integer_at(const boost::json::object& object, std::string_view key) {
  const auto& value = value_at(object, key);
  if (value.is_int64()) {
    return value.as_int64();
  }
  if (value.is_uint64()) {
    return static_cast<std::int64_t>(value.as_uint64());
  }
  wrong_type(key, "an integer");
}

const boost::json::object& object_at(const boost::json::object& object, std::string_view key) {
  const auto& value = value_at(object, key);
  if (!value.is_object()) {
    wrong_type(key, "an object");
  }
  return value.as_object();
}

const boost::json::array& array_at(const boost::json::object& object, std::string_view key) {
  const auto& value = value_at(object, key);
  if (!value.is_array()) {
    wrong_type(key, "an array");
  }
  return value.as_array();
}

std::string string_or_empty(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string{value->as_string()} : std::string{};
}

std::string pretty(const boost::json::value& value) {
  std::string out;
  write_pretty(out, value, 0);
  out += "\n";
  return out;
}

}  // namespace boxoffice::rush
