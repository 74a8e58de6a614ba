#include "security/token_hash.hpp"

#include "common/content_hash.hpp"

#include <sodium.h>

namespace boxoffice::security {

std::string hash_token(std::string_view token) {
  return blake2b_hex(token, crypto_generichash_BYTES);
}

}  // namespace boxoffice::security
