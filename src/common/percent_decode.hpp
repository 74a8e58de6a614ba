// Percent-decoding of URL parts (user names and passwords in database and Redis URLs).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace boxoffice {

// 0-15 for a hex digit of either case, -1 for anything else.
int hex_digit_value(char c);

// nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace boxoffice
