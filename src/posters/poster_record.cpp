#include "posters/poster_record.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace boxoffice::posters {

std::string to_stored_json(const PosterRecord& poster) {
  boost::json::array variants;
  for (const auto& variant : poster.variants) {
    variants.push_back(boost::json::object{{"width", variant.width},
                                           {"height", variant.height},
                                           {"type", variant.content_type},
                                           {"key", variant.key}});
  }
  return boost::json::serialize(boost::json::object{{"variants", std::move(variants)}});
}

std::optional<PosterRecord> parse_stored_poster(std::string_view stored_json) {
  boost::system::error_code error;
  const auto value = boost::json::parse(stored_json, error);
  if (error || !value.is_object()) {
    return std::nullopt;
  }
  const auto* variants = value.as_object().if_contains("variants");
  if (variants == nullptr || !variants->is_array()) {
    return std::nullopt;
  }
  PosterRecord poster;
  for (const auto& item : variants->as_array()) {
    const auto* object = item.if_object();
    if (object == nullptr) {
      return std::nullopt;
    }
    const auto* width = object->if_contains("width");
    const auto* height = object->if_contains("height");
    const auto* type = object->if_contains("type");
    const auto* key = object->if_contains("key");
    if (width == nullptr || !width->is_int64() || height == nullptr || !height->is_int64() ||
        type == nullptr || !type->is_string() || key == nullptr || !key->is_string()) {
      return std::nullopt;
    }
    poster.variants.push_back({.width = static_cast<int>(width->as_int64()),
                               .height = static_cast<int>(height->as_int64()),
                               .content_type = std::string{type->as_string()},
                               .key = std::string{key->as_string()}});
  }
  return poster;
}

boost::json::value public_poster_json(const PosterRecord& poster, std::string_view base_url) {
  auto url_of = [base_url](const StoredVariant& variant) {
    return std::string{base_url} + "/" + variant.key;
  };
  boost::json::array variants;
  const StoredVariant* widest_jpeg = nullptr;
  for (const auto& variant : poster.variants) {
    variants.push_back(boost::json::object{{"width", variant.width},
                                           {"height", variant.height},
                                           {"type", variant.content_type},
                                           {"url", url_of(variant)}});
    if (variant.content_type == "image/jpeg" &&
        (widest_jpeg == nullptr || variant.width > widest_jpeg->width)) {
      widest_jpeg = &variant;
    }
  }
  if (widest_jpeg == nullptr) {
    return nullptr;
  }
  return boost::json::object{{"url", url_of(*widest_jpeg)}, {"variants", std::move(variants)}};
}

std::string key_for_name(std::string_view name) {
  return std::string{key_folder} + std::string{name};
}

}  // namespace boxoffice::posters
