#include "http/response.hpp"

#include <boost/json/serialize.hpp>

namespace boxoffice::http {

Response json_response(unsigned status, const boost::json::value& body) {
  return text_response(status, "application/json", boost::json::serialize(body));
}

Response empty_response(unsigned status) {
  Response response{static_cast<beast_http::status>(status), 11};
  response.content_length(0);
  return response;
}

Response text_response(unsigned status, std::string_view content_type, std::string body) {
  Response response{static_cast<beast_http::status>(status), 11};
  response.set(beast_http::field::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response error_response(const ApiError& error) {
  auto response = json_response(static_cast<unsigned>(error.status()), error.to_json());
  if (error.retry_after_seconds() > 0) {
    response.set(beast_http::field::retry_after, std::to_string(error.retry_after_seconds()));
  }
  response.set(beast_http::field::cache_control, "no-store");
  return response;
}

}  // namespace boxoffice::http
