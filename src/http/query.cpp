#include "http/query.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

namespace boxoffice::http {

std::optional<std::string> query_value(std::string_view encoded_query, std::string_view name) {
  const auto parsed = boost::urls::parse_query(encoded_query);
  if (!parsed) {
    return std::nullopt;
  }
  const boost::urls::params_view params{*parsed};
  const auto found = params.find(name);
  if (found == params.end()) {
    return std::nullopt;
  }
  return std::string{(*found).value};
}

}  // namespace boxoffice::http
