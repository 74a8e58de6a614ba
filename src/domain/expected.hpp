// Result types for the domain rules: a value or the reason it was refused, without exceptions,
// because refusals caused by client input are ordinary outcomes, not faults.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace boxoffice::domain {

// A refusal of client input. `field` names the offending member as a path into the request
// body ("sections[2].rows[0].seats"), so the HTTP layer can pass it on as the error's field.
struct ValidationError {
  std::string field;
  std::string message;

  bool operator==(const ValidationError&) const = default;
};

// A state machine refused a move. The names are the states' wire spellings; they point at
// static strings, so the error stays valid after the states it came from are gone.
struct TransitionError {
  std::string_view from;
  std::string_view to;

  [[nodiscard]] std::string message() const {
    return "cannot change from " + std::string(from) + " to " + std::string(to);
  }
  bool operator==(const TransitionError&) const = default;
};

// A value of T or an error E; a stand-in for std::expected, which g++ 12 lacks in C++20.
// Reading the wrong alternative is a programmer error and throws std::bad_variant_access
// rather than reading garbage.
template <typename T, typename E = ValidationError>
class [[nodiscard]] Expected {
  static_assert(!std::is_same_v<T, E>, "the value and the error must be distinguishable");

 public:
  constexpr Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  constexpr Expected(E error) : state_(std::in_place_index<1>, std::move(error)) {}

  [[nodiscard]] constexpr bool has_value() const noexcept { return state_.index() == 0; }
  constexpr explicit operator bool() const noexcept { return has_value(); }

  [[nodiscard]] constexpr T& value() & { return std::get<0>(state_); }
  [[nodiscard]] constexpr const T& value() const& { return std::get<0>(state_); }
  [[nodiscard]] constexpr T&& value() && { return std::get<0>(std::move(state_)); }

  [[nodiscard]] constexpr const E& error() const& { return std::get<1>(state_); }
  [[nodiscard]] constexpr E&& error() && { return std::get<1>(std::move(state_)); }

  constexpr T* operator->() { return &value(); }
  constexpr const T* operator->() const { return &value(); }
  constexpr T& operator*() & { return value(); }
  constexpr const T& operator*() const& { return value(); }

 private:
  std::variant<T, E> state_;
};

template <typename T>
using Result = Expected<T, ValidationError>;

}  // namespace boxoffice::domain
