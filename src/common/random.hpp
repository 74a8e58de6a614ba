// Unguessable identifiers and secrets, all from libsodium's CSPRNG.
#pragma once

#include <cstddef>
#include <string>

namespace boxoffice {

// Hex of `bytes` random bytes: 16 bytes (128 bits) for ids, 32 (256 bits) for tokens.
std::string random_hex(std::size_t bytes);

// An opaque id: 128 random bits, URL-safe, so ids leak neither counts nor order.
inline std::string new_id() {
  return random_hex(16);
}

// Compares secrets in time that does not depend on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace boxoffice
