// Reading one parameter of a request's query string.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace boxoffice::http {

// The decoded value of the first `name=` in `encoded_query`; nullopt when absent or when
// the query is not valid percent-encoding.
std::optional<std::string> query_value(std::string_view encoded_query, std::string_view name);

}  // namespace boxoffice::http
