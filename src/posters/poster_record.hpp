// A poster as the database keeps it (object keys, no URLs) and as the API shows it (URLs
// built from the configured public base). Keeping keys lets a CDN move without
// rewriting any row.
#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace boxoffice::posters {

struct StoredVariant {
  int width = 0;
  int height = 0;
  std::string content_type;
  std::string key;  // e.g. posters/<hash>.webp
};

struct PosterRecord {
  std::vector<StoredVariant> variants;  // narrowest first
};

std::string to_stored_json(const PosterRecord& poster);
// nullopt when the text is not a stored poster (never expected; logged by callers).
std::optional<PosterRecord> parse_stored_poster(std::string_view stored_json);

// The contract's {"url", "variants": [{"width", "url"}, ...]} with, for each variant, its
// height and type too. `url` is the widest JPEG: every browser shows it.
// `base_url` ends without '/', e.g. "https://cdn.example.com" or "" for same-origin paths.
boost::json::value public_poster_json(const PosterRecord& poster, std::string_view base_url);

// The key behind a public path ("/posters/<name>"), for serving it.
std::string key_for_name(std::string_view name);
inline constexpr std::string_view key_folder = "posters/";

}  // namespace boxoffice::posters
