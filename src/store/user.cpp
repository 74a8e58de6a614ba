#include "store/user.hpp"

namespace boxoffice::store {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::customer:
      return "customer";
    case Role::staff:
      return "staff";
    case Role::admin:
      return "admin";
  }
  return "customer";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "customer") {
    return Role::customer;
  }
  if (text == "staff") {
    return Role::staff;
  }
  if (text == "admin") {
    return Role::admin;
  }
  return std::nullopt;
}

}  // namespace boxoffice::store
