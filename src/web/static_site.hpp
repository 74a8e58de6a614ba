// The built web front end (web/dist), read into memory once at start: a few hundred
// kilobytes, answered without touching the disk on the I/O threads.
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace boxoffice::web {

struct StaticFile {
  std::string content_type;
  std::string body;
  // Quoted, from the content: a rebuilt file gets a new one.
  std::string etag;
  // Vite names these by their content hash, so a cache may keep them forever.
  bool immutable = false;
};

class StaticSiteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class StaticSite {
 public:
  // Throws StaticSiteError when `root` has no index.html or a file cannot be read.
  static std::unique_ptr<StaticSite> load(const std::filesystem::path& root);

  // The file at an URL path such as "/assets/index-1a2b.js"; null when there is none.
  [[nodiscard]] const StaticFile* find(std::string_view path) const;
  [[nodiscard]] const StaticFile& index() const { return files_.at("/index.html"); }
  [[nodiscard]] std::size_t size() const { return files_.size(); }

 private:
  std::unordered_map<std::string, StaticFile> files_;
};

std::string_view content_type_for(const std::filesystem::path& file);

}  // namespace boxoffice::web
