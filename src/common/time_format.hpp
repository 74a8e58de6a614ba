// RFC 3339 UTC timestamps, the contract's only time format.
#pragma once

#include "common/clock.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace boxoffice {

// Always "YYYY-MM-DDTHH:MM:SSZ": seconds precision keeps answers stable across backends.
std::string format_rfc3339(TimePoint time);

// Accepts "Z" or a numeric offset and fractional seconds; empty when malformed.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

std::int64_t to_unix_seconds(TimePoint time);
TimePoint from_unix_seconds(std::int64_t seconds);

}  // namespace boxoffice
