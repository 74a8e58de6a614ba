// Event posters: an upload becomes content-addressed variants in the object store and a
// poster row in the database; replaced posters' files are removed once no page can still
// show them.
#pragma once

#include "common/clock.hpp"
#include "posters/image_workers.hpp"
#include "posters/poster_images.hpp"
#include "storage/object_store.hpp"
#include "store/catalog_repository.hpp"

#include <chrono>

namespace boxoffice::posters {

struct PosterSettings {
  ImageLimits limits;
  // How long a replaced poster's files stay: longer than any cached event page or list
  // (edge, browser, the catalog's own copies) may still point at them.
  std::chrono::seconds retire_grace{86400};
  // Retired posters handled per sweep.
  int sweep_batch = 100;
};

class PosterService {
 public:
  PosterService(store::CatalogRepository& catalog, storage::ObjectStore& objects,
                ImageWorkers& workers, const Clock& clock, PosterSettings settings);

  // Renders the variants (InvalidImage when `upload` is not an acceptable image,
  // ImageWorkersBusy when no worker is free), stores them, then points the event at them.
  // False when there is no such event; nothing is stored then.
  boost::asio::awaitable<bool> replace(std::string event_id, std::string upload);

  // One variant by its public name ("<hash>.webp"); nullopt for a name that is not one.
  boost::asio::awaitable<std::optional<storage::StoredObject>> read(std::string name);

  // Removes the files of posters retired more than the grace period ago that no current
  // poster uses. Returns how many files were removed. Safe to run on every instance.
  boost::asio::awaitable<int> sweep();

 private:
  boost::asio::awaitable<bool> remove_unless_used(const std::string& key, TimePoint now,
                                                  std::int64_t retired_id);

  store::CatalogRepository& catalog_;
  storage::ObjectStore& objects_;
  ImageWorkers& workers_;
  const Clock& clock_;
  PosterSettings settings_;
};

// The public name of a variant: a hash of its bytes and its type's extension.
std::string variant_name(std::string_view bytes, std::string_view content_type);

}  // namespace boxoffice::posters
