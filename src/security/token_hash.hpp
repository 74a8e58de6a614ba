// Session tokens are stored only as hashes, so a leaked session table yields no usable token.
#pragma once

#include <string>
#include <string_view>

namespace boxoffice::security {

// BLAKE2b-256 of the token, hex. Tokens carry 256 random bits, so an unsalted fast hash
// is enough: there is nothing to brute-force.
std::string hash_token(std::string_view token);

}  // namespace boxoffice::security
