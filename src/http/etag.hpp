// Conditional GETs: whether a client's If-None-Match names the entity tag it would get.
#pragma once

#include <string_view>

namespace boxoffice::http {

// `etag` is quoted ("..."); `if_none_match` is the header as sent (a list, or *).
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace boxoffice::http
