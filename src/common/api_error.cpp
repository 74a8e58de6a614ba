#include "common/api_error.hpp"

namespace boxoffice {

ApiError::ApiError(int status, std::string code, const std::string& message, std::string field)
    : std::runtime_error(message),
      status_(status),
      code_(std::move(code)),
      field_(std::move(field)) {}

ApiError& ApiError::with_retry_after(int seconds) {
  retry_after_seconds_ = seconds;
  return *this;
}

ApiError& ApiError::with_extra(std::string_view key, boost::json::value value) {
  extra_[key] = std::move(value);
  return *this;
}

boost::json::object ApiError::to_json() const {
  boost::json::object error = extra_;
  error["code"] = code_;
  error["message"] = what();
  if (!field_.empty()) {
    error["field"] = field_;
  }
  return boost::json::object{{"error", std::move(error)}};
}

namespace errors {

ApiError invalid_request(const std::string& message, std::string field) {
  return {400, "invalid_request", message, std::move(field)};
}
ApiError unauthenticated() {
  return {401, "unauthenticated", "sign in first"};
}
ApiError forbidden() {
  return {403, "forbidden", "your role does not allow this"};
}
ApiError csrf_failed() {
  return {403, "csrf_failed", "X-CSRF-Token is missing or does not match the session"};
}
ApiError not_found() {
  return {404, "not_found", "no such resource"};
}
ApiError conflict(std::string code, const std::string& message) {
  return {409, std::move(code), message};
}
ApiError rate_limited(int retry_after_seconds) {
  return ApiError{429, "rate_limited", "too many attempts, try again later"}.with_retry_after(
      retry_after_seconds);
}
ApiError overloaded(int retry_after_seconds) {
  return ApiError{503, "overloaded", "the server is busy, try again shortly"}.with_retry_after(
      retry_after_seconds);
}
ApiError unavailable(const std::string& message, int retry_after_seconds) {
  return ApiError{503, "unavailable", message}.with_retry_after(retry_after_seconds);
}

}  // namespace errors
}  // namespace boxoffice
