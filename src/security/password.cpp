#include "security/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace boxoffice::security {

PasswordHasher::PasswordHasher(HashCost cost)
    : opslimit_(cost == HashCost::interactive ? crypto_pwhash_OPSLIMIT_INTERACTIVE
                                              : crypto_pwhash_OPSLIMIT_MIN),
      memlimit_(cost == HashCost::interactive ? crypto_pwhash_MEMLIMIT_INTERACTIVE
                                              : crypto_pwhash_MEMLIMIT_MIN) {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium could not be initialised");
  }
  dummy_hash_ = hash("not a real password, only spends time");
}

std::string PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), opslimit_, memlimit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return out;
}

bool PasswordHasher::verify(std::string_view stored_hash, std::string_view password) const {
  const std::string terminated{stored_hash};
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::verify_dummy(std::string_view password) const {
  (void)verify(dummy_hash_, password);
}

}  // namespace boxoffice::security
