// Percent-decoding of URL parts (user names and passwords in database and Redis URLs).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace boxoffice {

// nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace boxoffice
