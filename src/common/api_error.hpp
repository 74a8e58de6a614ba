// The contract's error vocabulary, and the one exception type that carries it to the HTTP layer.
#pragma once

#include <boost/json/object.hpp>

#include <stdexcept>
#include <string>

namespace boxoffice {

// Thrown by handlers and services for failures the client caused or must be told about;
// the HTTP layer turns it into {"error": {...}} with the status. Anything else thrown is
// an internal error, logged, and answered as a bare 500 so internal text never leaks.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message, std::string field = {});

  [[nodiscard]] int status() const noexcept { return status_; }
  [[nodiscard]] const std::string& code() const noexcept { return code_; }
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  [[nodiscard]] int retry_after_seconds() const noexcept { return retry_after_seconds_; }
  [[nodiscard]] const boost::json::object& extra() const noexcept { return extra_; }

  ApiError& with_retry_after(int seconds);
  ApiError& with_extra(std::string_view key, boost::json::value value);

  [[nodiscard]] boost::json::object to_json() const;

 private:
  int status_;
  std::string code_;
  std::string field_;
  int retry_after_seconds_ = 0;
  boost::json::object extra_;
};

namespace errors {
ApiError invalid_request(const std::string& message, std::string field = {});
ApiError unauthenticated();
ApiError forbidden();
ApiError csrf_failed();
ApiError not_found();
ApiError conflict(std::string code, const std::string& message);
ApiError rate_limited(int retry_after_seconds);
ApiError overloaded(int retry_after_seconds);
ApiError unavailable(const std::string& message, int retry_after_seconds);
}  // namespace errors

}  // namespace boxoffice
