// Structured JSON-lines logging: every line is one JSON object, so log pipelines parse
// it without guessing.
#pragma once

#include "http/message.hpp"

#include <spdlog/common.h>
#include <boost/json/object.hpp>

namespace boxoffice::http {

// Sets the default logger to JSON lines on stdout at the given level.
void configure_logging(spdlog::level::level_enum level);

void log_event(spdlog::level::level_enum level, std::string_view message,
               const boost::json::object& fields = {});

void log_request(const Request& request, unsigned status, std::chrono::nanoseconds duration);

}  // namespace boxoffice::http
