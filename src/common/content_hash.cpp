#include "common/content_hash.hpp"

#include <sodium.h>

#include <array>

namespace boxoffice {

std::string blake2b_hex(std::string_view data, std::size_t digest_bytes) {
  std::array<unsigned char, crypto_generichash_BYTES_MAX> digest{};
  crypto_generichash(digest.data(), digest_bytes,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
  std::string hex(digest_bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest_bytes);
  hex.pop_back();
  return hex;
}

}  // namespace boxoffice
