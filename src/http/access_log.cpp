#include "http/access_log.hpp"

#include "common/time_format.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>

namespace boxoffice::http {

void configure_logging(spdlog::level::level_enum level) {
  auto logger = spdlog::stdout_logger_mt("boxoffice");
  logger->set_pattern("%v");
  logger->set_level(level);
  // Every line matters when a process is killed: flushing per line costs little next to
  // the socket write that produced it.
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

void log_event(spdlog::level::level_enum level, std::string_view message,
               const boost::json::object& fields) {
  if (!spdlog::should_log(level)) {
    return;
  }
  boost::json::object line;
  line["ts"] = format_rfc3339(std::chrono::system_clock::now());
  line["level"] = spdlog::level::to_string_view(level).data();
  line["msg"] = message;
  for (const auto& [key, value] : fields) {
    line[key] = value;
  }
  spdlog::log(level, "{}", boost::json::serialize(line));
}

void log_request(const Request& request, unsigned status, std::chrono::nanoseconds duration) {
  log_event(spdlog::level::info, "request",
            {
                {"request_id", request.request_id},
                {"method", std::string{beast_http::to_string(request.method())}},
                {"route", request.route},
                {"path", request.path},
                {"status", status},
                {"duration_ms", std::chrono::duration<double, std::milli>(duration).count()},
                {"client", request.client_address},
            });
}

}  // namespace boxoffice::http
