#include "http/client_address.hpp"

#include <algorithm>

namespace boxoffice::http {
namespace {
std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}
}  // namespace

TrustedProxies::TrustedProxies(std::vector<std::string> addresses)
    : addresses_(std::move(addresses)) {}

bool TrustedProxies::trusts(std::string_view address) const {
  return std::find(addresses_.begin(), addresses_.end(), address) != addresses_.end();
}

std::string TrustedProxies::client_address(std::string_view peer,
                                           std::string_view forwarded_for) const {
  if (!trusts(peer) || forwarded_for.empty()) {
    return std::string{peer};
  }
  std::string_view rest = forwarded_for;
  std::string_view candidate = peer;
  // Bounded by the header size limit; walks right to left.
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const auto entry = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    if (entry.empty() || entry.size() > 64) {
      break;
    }
    candidate = entry;
    if (!trusts(entry)) {
      break;
    }
  }
  return std::string{candidate};
}

}  // namespace boxoffice::http
