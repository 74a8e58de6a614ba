// The headers that lock a page down in the browser: what it may load and run, who may
// frame it, what it tells other sites.
#pragma once

#include "http/message.hpp"

#include <string>
#include <string_view>

namespace boxoffice::web {

// No inline script or style, no eval, no plugins, no framing, requests to this origin
// only. Posters may come from another origin (a CDN): `poster_base_url`'s origin is then
// allowed for images.
std::string content_security_policy(std::string_view poster_base_url);

// `secure`: the client came over TLS (then browsers are told to stay on it).
void add_page_security_headers(http::Response& response, const std::string& policy, bool secure);

}  // namespace boxoffice::web
