// Table-driven routing: patterns like /api/v1/events/{id}, telling an unknown path (404)
// from a known path used with the wrong method (405 with Allow).
#pragma once

#include "http/message.hpp"
#include "http/metrics.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace boxoffice::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

// What a route accepts as a request body; anything else answers 415.
enum class BodyKind { json, image };

class Router {
 public:
  // `metrics`, when given, counts internal errors.
  explicit Router(Metrics* metrics = nullptr) : metrics_(metrics) {}

  void add(beast_http::verb method, std::string pattern, Handler handler,
           BodyKind body = BodyKind::json);

  // Routes, checks the body's media type, runs the handler, and turns every ApiError
  // (and every unexpected exception, as a bare 500) into the contract's error answer.
  [[nodiscard]] boost::asio::awaitable<Response> dispatch(Request& request) const;

  // Answers GET and HEAD requests that no route matches (a single-page front end's
  // files and paths); without one they answer 404.
  void set_fallback(Handler handler);

  // True when the route for this method and target takes an image body, so the server may
  // read a larger body than for JSON before routing.
  [[nodiscard]] bool takes_image(beast_http::verb method, std::string_view target) const;

 private:
  struct Route {
    beast_http::verb method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    BodyKind body;
  };
  [[nodiscard]] static bool matches(const Route& route, const std::vector<std::string>& path,
                                    std::unordered_map<std::string, std::string>& params);
  [[nodiscard]] boost::asio::awaitable<Response> run(const Route& route, Request& request) const;

  std::vector<Route> routes_;
  std::optional<Route> fallback_;
  Metrics* metrics_;
};

}  // namespace boxoffice::http
