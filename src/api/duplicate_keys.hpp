// Detects JSON objects that repeat a key. Parsers disagree on which duplicate wins, so a
// body with duplicates means different things to different readers: refuse it.
#pragma once

#include <string_view>

namespace boxoffice::api {

// False for invalid JSON too; callers validate the JSON first.
bool has_duplicate_keys(std::string_view json);

}  // namespace boxoffice::api
