#include "web/static_site.hpp"

#include "common/content_hash.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace boxoffice::web {
namespace {

// Far above what a front end bundle is; keeps a wrong setting (say, "/") from reading a disk.
constexpr std::size_t max_files = 2000;
constexpr std::uintmax_t max_file_bytes = std::uintmax_t{8} << 20U;
constexpr std::uintmax_t max_total_bytes = std::uintmax_t{64} << 20U;

std::string read_file(const std::filesystem::path& file) {
  std::ifstream input{file, std::ios::binary};
  std::ostringstream content;
  content << input.rdbuf();
  if (!input && !input.eof()) {
    throw StaticSiteError("cannot read " + file.string());
  }
  return std::move(content).str();
}

bool hidden(const std::filesystem::path& relative) {
  for (const auto& part : relative) {
    if (part.string().starts_with('.')) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view content_type_for(const std::filesystem::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> types{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
  }};
  const auto extension = file.extension().string();
  for (const auto& [known, type] : types) {
    if (extension == known) {
      return type;
    }
  }
  return "application/octet-stream";
}

std::unique_ptr<StaticSite> StaticSite::load(const std::filesystem::path& root) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(root / "index.html", error)) {
    throw StaticSiteError(root.string() + " has no index.html");
  }
  auto site = std::make_unique<StaticSite>();
  std::uintmax_t total_bytes = 0;
  for (auto entry = std::filesystem::recursive_directory_iterator{root};
       entry != std::filesystem::recursive_directory_iterator{}; ++entry) {
    // A link could point anywhere on the disk; the build writes none.
    if (entry->is_symlink() || !entry->is_regular_file()) {
      continue;
    }
    const auto relative = entry->path().lexically_relative(root);
    if (hidden(relative)) {
      continue;
    }
    if (site->files_.size() >= max_files) {
      throw StaticSiteError(root.string() + " holds more than " + std::to_string(max_files) +
                            " files: is it the built front end?");
    }
    if (entry->file_size() > max_file_bytes) {
      throw StaticSiteError(entry->path().string() + " is larger than 8 MiB");
    }
    total_bytes += entry->file_size();
    if (total_bytes > max_total_bytes) {
      throw StaticSiteError(root.string() + " holds more than 64 MiB: is it the built front end?");
    }
    StaticFile file{.content_type = std::string{content_type_for(entry->path())},
                    .body = read_file(entry->path()),
                    .etag = {},
                    .immutable = relative.begin()->string() == "assets"};
    file.etag = "\"" + blake2b_hex(file.body, 16) + "\"";
    site->files_.emplace("/" + relative.generic_string(), std::move(file));
  }
  return site;
}

const StaticFile* StaticSite::find(std::string_view path) const {
  const auto found = files_.find(std::string{path});
  return found == files_.end() ? nullptr : &found->second;
}

}  // namespace boxoffice::web
