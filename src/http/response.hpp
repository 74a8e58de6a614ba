// Building the answers: JSON bodies, empty answers and the contract's error shape.
#pragma once

#include "common/api_error.hpp"
#include "http/message.hpp"

#include <boost/json/value.hpp>

namespace boxoffice::http {

Response json_response(unsigned status, const boost::json::value& body);
Response empty_response(unsigned status);
Response error_response(const ApiError& error);
Response text_response(unsigned status, std::string_view content_type, std::string body);

}  // namespace boxoffice::http
