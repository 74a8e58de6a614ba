// The request and response types every handler sees.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/range/iterator_range_core.hpp>

#include <chrono>
#include <string>
#include <unordered_map>

namespace boxoffice::http {

namespace beast_http = boost::beast::http;

using Response = beast_http::response<beast_http::string_body>;

struct Request {
  beast_http::request<beast_http::string_body> message;
  std::string path;
  std::string query;
  std::string request_id;
  // The end client, after X-Forwarded-For from trusted proxies is taken into account.
  std::string client_address;
  // True when a trusted proxy says the client connected over TLS (cookies get Secure).
  bool secure = false;
  // Filled by the router: the matched pattern (for metrics) and its {parameters}.
  std::string route;
  std::unordered_map<std::string, std::string> params;
  std::chrono::steady_clock::time_point received_at;

  [[nodiscard]] beast_http::verb method() const { return message.method(); }
  [[nodiscard]] std::string_view header(beast_http::field field) const {
    auto it = message.find(field);
    return it == message.end() ? std::string_view{} : std::string_view{it->value()};
  }
  [[nodiscard]] std::string_view header(std::string_view name) const {
    auto it = message.find(name);
    return it == message.end() ? std::string_view{} : std::string_view{it->value()};
  }
  // Every line of a header that may repeat, joined by commas as RFC 9110 defines: each
  // proxy in a chain may add its own X-Forwarded-For line instead of extending one.
  [[nodiscard]] std::string joined_header(std::string_view name) const {
    std::string joined;
    for (const auto& field : boost::make_iterator_range(message.equal_range(name))) {
      if (!joined.empty()) {
        joined += ", ";
      }
      joined += field.value();
    }
    return joined;
  }
  [[nodiscard]] const std::string& param(const std::string& name) const { return params.at(name); }
};

}  // namespace boxoffice::http
