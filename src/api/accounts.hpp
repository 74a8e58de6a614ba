// Account rules shared by sign-up and the `users add` command: email normalisation and
// validation, the password policy, and creating a user with a hashed password.
#pragma once

#include "store/user.hpp"
#include "store/user_repository.hpp"

#include <optional>
#include <string>

namespace boxoffice::api {

inline constexpr std::size_t password_min_chars = 10;
// Bounds hashing work per request; far beyond any human-typed password.
inline constexpr std::size_t password_max_chars = 1024;
inline constexpr std::size_t email_max_chars = 254;
inline constexpr std::size_t name_max_chars = 200;

// Trimmed and lower-cased, so "  Ann@Example.COM " and "ann@example.com" are one account.
std::string normalize_email(std::string_view email);

// A pragmatic check (one @, a dotted domain, no spaces or control characters); the
// authority on deliverability is a confirmation mail, not a regex.
bool is_valid_email(std::string_view normalized);

// Why a password is refused, or nullopt when it is acceptable.
std::optional<std::string> password_problem(std::string_view password);

// Builds the record (new id, creation time); hashing happens elsewhere because it is slow.
store::User new_user(std::string email, std::string name, store::Role role,
                     std::string password_hash, TimePoint now);

}  // namespace boxoffice::api
