#include "storage/object_store.hpp"

namespace boxoffice::storage {

bool valid_object_key(std::string_view key) {
  if (key.empty() || key.size() > 200) {
    return false;
  }
  std::size_t part_start = 0;
  for (std::size_t i = 0; i <= key.size(); ++i) {
    if (i == key.size() || key[i] == '/') {
      const auto part = key.substr(part_start, i - part_start);
      if (part.empty() || part == "." || part == "..") {
        return false;
      }
      part_start = i + 1;
      continue;
    }
    const char c = key[i];
    const bool allowed =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) {
      return false;
    }
  }
  return true;
}

}  // namespace boxoffice::storage
