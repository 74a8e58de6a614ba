// Hold ids carry their event's id, so a store sharded by event (Redis Cluster, by the
// {ev:ID} hash tag) finds a hold from its id alone, with no global index.
#pragma once

#include "common/random.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace boxoffice::store {

// The event id followed by 128 random bits: unguessable, and opaque to clients.
inline std::string new_hold_id(const std::string& event_id) {
  return event_id + new_id();
}

// The event part of a hold id; nullopt for ids this server never made.
inline std::optional<std::string> event_of_hold(std::string_view hold_id) {
  constexpr std::size_t random_part = 32;
  if (hold_id.size() <= random_part || hold_id.size() > 128) {
    return std::nullopt;
  }
  return std::string{hold_id.substr(0, hold_id.size() - random_part)};
}

}  // namespace boxoffice::store
