// Who the client is, when proxies stand in front: X-Forwarded-For is believed only from
// configured proxy addresses, since anyone can send the header.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace boxoffice::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  explicit TrustedProxies(std::vector<std::string> addresses);

  [[nodiscard]] bool trusts(std::string_view address) const;

  // The peer if it is not a trusted proxy; otherwise the rightmost X-Forwarded-For entry
  // that is not a trusted proxy (entries left of it were written by the client itself).
  [[nodiscard]] std::string client_address(std::string_view peer,
                                           std::string_view forwarded_for) const;

 private:
  std::vector<std::string> addresses_;
};

}  // namespace boxoffice::http
