#include "http/etag.hpp"

#include <algorithm>

namespace boxoffice::http {

// If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes do not matter.
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  std::size_t start = 0;
  while (start < if_none_match.size()) {
    const auto comma = std::min(if_none_match.find(',', start), if_none_match.size());
    auto candidate = if_none_match.substr(start, comma - start);
    while (!candidate.empty() && candidate.front() == ' ') {
      candidate.remove_prefix(1);
    }
    while (!candidate.empty() && candidate.back() == ' ') {
      candidate.remove_suffix(1);
    }
    if (candidate.starts_with("W/")) {
      candidate.remove_prefix(2);
    }
    if (candidate == "*" || candidate == etag) {
      return true;
    }
    start = comma + 1;
  }
  return false;
}

}  // namespace boxoffice::http
