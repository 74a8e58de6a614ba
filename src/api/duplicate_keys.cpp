#include "api/duplicate_keys.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <set>
#include <string>
#include <vector>

namespace boxoffice::api {
namespace {

using boost::json::string_view;
using boost::system::error_code;

class KeyTracker {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  bool duplicate = false;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t, error_code&) { return true; }
  bool on_object_begin(error_code&) {
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    keys_.pop_back();
    return true;
  }
  bool on_string_part(string_view, std::size_t, error_code&) { return true; }
  bool on_string(string_view, std::size_t, error_code&) { return true; }
  bool on_key_part(string_view part, std::size_t, error_code&) {
    key_.append(part.data(), part.size());
    return true;
  }
  bool on_key(string_view part, std::size_t, error_code& error) {
    key_.append(part.data(), part.size());
    const bool inserted = keys_.back().insert(std::move(key_)).second;
    key_.clear();
    if (!inserted) {
      duplicate = true;
      error = std::make_error_code(std::errc::invalid_argument);
      return false;
    }
    return true;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, string_view, error_code&) { return true; }
  bool on_uint64(std::uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  std::vector<std::set<std::string>> keys_;
  std::string key_;
};

}  // namespace

bool has_duplicate_keys(std::string_view json) {
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::json::basic_parser<KeyTracker> parser{options};
  error_code error;
  parser.write_some(false, json.data(), json.size(), error);
  return parser.handler().duplicate;
}

}  // namespace boxoffice::api
