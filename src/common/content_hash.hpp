// BLAKE2b digests as lower-case hex, for naming content (versions, token hashes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace boxoffice {

// `digest_bytes` between 16 and 64.
std::string blake2b_hex(std::string_view data, std::size_t digest_bytes);

}  // namespace boxoffice
