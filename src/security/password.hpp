// argon2id password hashing. Slow on purpose: callers run it on a blocking pool.
#pragma once

#include <string>
#include <string_view>

namespace boxoffice::security {

enum class HashCost {
  // libsodium's INTERACTIVE limits: 64 MiB and ~2 passes, the production setting.
  interactive,
  // The library minimum: for tests only, where thousands of sign-ups must be cheap.
  minimum,
};

class PasswordHasher {
 public:
  explicit PasswordHasher(HashCost cost);

  [[nodiscard]] std::string hash(std::string_view password) const;
  [[nodiscard]] bool verify(std::string_view stored_hash, std::string_view password) const;

  // Burns the same time as a real verify, so an unknown email cannot be told apart
  // from a wrong password by timing.
  void verify_dummy(std::string_view password) const;

 private:
  unsigned long long opslimit_;
  std::size_t memlimit_;
  std::string dummy_hash_;
};

}  // namespace boxoffice::security
