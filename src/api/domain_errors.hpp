// Maps the domain's validation results to the contract's 400 answers.
#pragma once

#include "common/api_error.hpp"
#include "domain/expected.hpp"

namespace boxoffice::api {

template <typename T>
T value_or_400(domain::Result<T> result) {
  if (!result) {
    throw errors::invalid_request(result.error().message, result.error().field);
  }
  return std::move(result).value();
}

inline void check_400(const std::optional<domain::ValidationError>& problem) {
  if (problem) {
    throw errors::invalid_request(problem->message, problem->field);
  }
}

}  // namespace boxoffice::api
