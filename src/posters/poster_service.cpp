#include "posters/poster_service.hpp"

#include "posters/poster_record.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <array>

namespace boxoffice::posters {
namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    text += digits[bytes[i] >> 4];
    text += digits[bytes[i] & 0x0f];
  }
  return text;
}

}  // namespace

std::string variant_name(std::string_view bytes, std::string_view content_type) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  // 128 bits of the hash: collisions are out of reach, and URLs stay short.
  return hex(digest.data(), 16) + (content_type == "image/webp" ? ".webp" : ".jpg");
}

PosterService::PosterService(store::CatalogRepository& catalog, storage::ObjectStore& objects,
                             ImageWorkers& workers, const Clock& clock, PosterSettings settings)
    : catalog_(catalog), objects_(objects), workers_(workers), clock_(clock), settings_(settings) {}

boost::asio::awaitable<bool> PosterService::replace(std::string event_id, std::string upload) {
  if (!co_await catalog_.find_event(event_id)) {
    co_return false;
  }
  auto render = [upload = std::move(upload), limits = settings_.limits] {
    return render_variants(upload, limits);
  };
  const auto variants = co_await workers_.run(std::move(render));

  // The files go first: once the row points at them, any reader may ask for them.
  PosterRecord poster;
  for (const auto& variant : variants) {
    auto key = key_for_name(variant_name(variant.bytes, variant.content_type));
    co_await objects_.put(key, variant.bytes, variant.content_type);
    poster.variants.push_back({.width = variant.width,
                               .height = variant.height,
                               .content_type = variant.content_type,
                               .key = std::move(key)});
  }
  const auto retire_until = clock_.now() + settings_.retire_grace;
  if (!co_await catalog_.replace_poster(std::move(event_id), to_stored_json(poster),
                                        retire_until)) {
    co_return false;
  }
  // A sweeper may have removed one of these files between its "not in use" check and now
  // (the same image was retired elsewhere). Writing them again after the row points at
  // them closes that gap: a sweeper that removes later sees them in use and puts them
  // back (see sweep()).
  for (std::size_t i = 0; i < variants.size(); ++i) {
    co_await objects_.put(poster.variants[i].key, variants[i].bytes, variants[i].content_type);
  }
  co_return true;
}

boost::asio::awaitable<std::optional<storage::StoredObject>> PosterService::read(std::string name) {
  auto key = key_for_name(name);
  if (name.find('/') != std::string::npos || !storage::valid_object_key(key)) {
    co_return std::nullopt;
  }
  co_return co_await objects_.get(std::move(key));
}

boost::asio::awaitable<int> PosterService::sweep() {
  int removed = 0;
  const auto now = clock_.now();
  const auto due = co_await catalog_.retired_posters_due(now, settings_.sweep_batch);
  for (const auto& retired : due) {
    if (!co_await catalog_.claim_retired_poster(retired.id)) {
      continue;  // another instance's sweep has it
    }
    const auto poster = parse_stored_poster(retired.poster_json);
    if (!poster) {
      spdlog::warn("retired poster {} of event {} is unreadable; its files are kept", retired.id,
                   retired.event_id);
      continue;
    }
    for (const auto& variant : poster->variants) {
      if (co_await remove_unless_used(variant.key, now, retired.id)) {
        ++removed;
      }
    }
  }
  co_return removed;
}

boost::asio::awaitable<bool> PosterService::remove_unless_used(const std::string& key,
                                                               TimePoint now,
                                                               std::int64_t retired_id) {
  // Content addressing shares files between posters with the same image: a file goes only
  // when no current poster, nor another still-visible retired one, has it.
  if (co_await catalog_.poster_object_in_use(key, now, retired_id)) {
    co_return false;
  }
  auto kept = co_await objects_.get(key);
  if (!kept) {
    co_return false;
  }
  co_await objects_.remove(key);
  // An upload of the same image may have pointed an event at this file since the check;
  // if so it is put back (the upload also writes its files again after its commit, which
  // covers a removal that comes later still).
  if (co_await catalog_.poster_object_in_use(key, now, retired_id)) {
    co_await objects_.put(key, std::move(kept->bytes), std::move(kept->content_type));
    co_return false;
  }
  co_return true;
}

}  // namespace boxoffice::posters
