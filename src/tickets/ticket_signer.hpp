// Signed ticket codes: what a QR code on a ticket carries and what a door scanner checks,
// offline if need be, with nothing but the public key from GET /tickets/public-key.
//
// Code format, version 1 (everything a scanner needs to implement it):
//
//   code      = "BO1." base64url(payload) "." base64url(signature)
//   payload   = ticket_id "\n" event_id "\n" seat_id       (bytes, UTF-8 in practice)
//   signature = Ed25519 (RFC 8032, pure, no pre-hash) over the ASCII bytes of
//               "BO1." base64url(payload), i.e. everything before the second '.',
//               so the version prefix is covered by the signature too.
//
// base64url is RFC 4648 section 5 without '=' padding; a decoder must reject padding,
// characters outside the alphabet and non-zero unused trailing bits. The signature is
// 64 bytes (86 characters). The three ids are non-empty and never contain '\n'; the
// whole code is at most 1024 characters. Any other shape is an invalid code.
//
// Key file format: one line of standard base64 (RFC 4648 section 4, with '=' padding)
// holding either the 32-byte Ed25519 seed (44 characters) or libsodium's 64-byte secret
// key, seed followed by public key (88 characters), optionally ended by one '\n'. Nothing
// else is accepted: no other whitespace, no hex, no raw bytes. `openssl rand -base64 32`
// makes one. Generated files hold the seed. The file must be a regular file with mode
// 0600 or narrower (0400 is fine); anything that lets the group or others in is refused,
// so a Kubernetes secret needs defaultMode 0400.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace boxoffice::tickets {

struct TicketClaims {
  std::string ticket_id;
  std::string event_id;
  std::string seat_id;

  friend bool operator==(const TicketClaims&, const TicketClaims&) = default;
};

// Immutable after construction, so one instance may sign and verify from many threads at
// once. Copies share the secret key. The secret key lives in libsodium's guarded,
// mlock'ed memory, is wiped when the last copy goes, and is never printed or logged.
class TicketSigner {
 public:
  static constexpr std::string_view algorithm = "Ed25519";
  static constexpr std::string_view code_prefix = "BO1.";
  static constexpr std::size_t code_length_max = 1024;
  static constexpr std::size_t seed_bytes = 32;
  static constexpr std::size_t public_key_bytes = 32;

  // Loads the key file described above. When the file does not exist and
  // `create_if_missing` is set, generates a key and publishes it atomically (a 0600 temp
  // file renamed into place without replacing anything), creating missing parent
  // directories with mode 0700; if another process published one first, that key is
  // loaded instead, so all instances sharing the path sign with the same key.
  // Throws std::runtime_error naming the path when the file is missing (and not to be
  // created), unreadable, not a regular file, too permissive or malformed.
  static TicketSigner from_key_file(const std::filesystem::path& path, bool create_if_missing);

  static TicketSigner from_seed(std::span<const unsigned char, seed_bytes> seed);

  // Returns the ticket `code`. Throws std::invalid_argument when an id is empty, contains
  // '\n', or the ids are too long for a code of at most code_length_max characters
  // (the three together may hold at most 697 bytes).
  [[nodiscard]] std::string sign(const TicketClaims& claims) const;

  // nullopt for anything that is not a well-formed code signed by this key. Never throws
  // for bad input: it comes straight from a scanner.
  [[nodiscard]] std::optional<TicketClaims> verify(std::string_view code) const;

  // Standard base64, with padding, of the 32-byte public key.
  [[nodiscard]] std::string public_key_base64() const;

 private:
  explicit TicketSigner(std::span<const unsigned char, seed_bytes> seed);

  // crypto_sign_SECRETKEYBYTES, allocated with sodium_malloc and released with sodium_free.
  std::shared_ptr<const unsigned char> secret_key_;
  std::array<unsigned char, public_key_bytes> public_key_{};
};

}  // namespace boxoffice::tickets
