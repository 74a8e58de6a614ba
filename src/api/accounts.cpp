#include "api/accounts.hpp"

#include "api/json_fields.hpp"
#include "common/random.hpp"

#include <algorithm>

namespace boxoffice::api {

std::string normalize_email(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front())) != 0) {
    email.remove_prefix(1);
  }
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back())) != 0) {
    email.remove_suffix(1);
  }
  std::string normalized{email};
  std::transform(normalized.begin(), normalized.end(), normalized.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return normalized;
}

bool is_valid_email(std::string_view email) {
  if (email.empty() || email.size() > email_max_chars) {
    return false;
  }
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const auto domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  return std::none_of(email.begin(), email.end(), [](unsigned char c) {
    return c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
           c == ';' || c == ':' || c == '\\' || c == '"' || c == '[' || c == ']';
  });
}

std::optional<std::string> password_problem(std::string_view password) {
  const auto length = utf8_length(password);
  if (length < password_min_chars) {
    return "password must be at least " + std::to_string(password_min_chars) + " characters";
  }
  if (length > password_max_chars) {
    return "password must be at most " + std::to_string(password_max_chars) + " characters";
  }
  if (password.find('\0') != std::string_view::npos) {
    return "password must not contain NUL characters";
  }
  return std::nullopt;
}

store::User new_user(std::string email, std::string name, store::Role role,
                     std::string password_hash, TimePoint now) {
  return store::User{
      .id = new_id(),
      .email = std::move(email),
      .name = std::move(name),
      .role = role,
      .password_hash = std::move(password_hash),
      .created_at = now,
  };
}

}  // namespace boxoffice::api
