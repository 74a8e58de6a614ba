// The account record shared by every user store.
#pragma once

#include "common/clock.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace boxoffice::store {

enum class Role { customer, staff, admin };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

struct User {
  std::string id;
  std::string email;
  std::string name;
  Role role = Role::customer;
  std::string password_hash;
  TimePoint created_at;
};

}  // namespace boxoffice::store
