#include "storage/folder_store.hpp"

#include "common/random.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

namespace boxoffice::storage {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error_number) {
  throw StorageUnavailable("folder store: " + what + " " + path.string() + ": " +
                           std::error_code{error_number, std::generic_category()}.message());
}

void require_valid(std::string_view key) {
  if (!valid_object_key(key)) {
    throw std::invalid_argument("not a valid object key: '" + std::string{key} + "'");
  }
}

// Writes all of `data` to `fd`, retrying short writes and interruptions.
void write_all(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    const auto written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("cannot write", path, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

// A rename is only durable once the folder that holds it is flushed too.
void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    fail("cannot open", folder, errno);
  }
  const int synced = ::fsync(fd);
  const int sync_error = errno;
  ::close(fd);
  if (synced != 0) {
    fail("cannot flush", folder, sync_error);
  }
}

void ensure_folder(const fs::path& folder) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) {
    fail("cannot create", folder, error.value());
  }
}

}  // namespace

FolderStore::FolderStore(fs::path root, BlockingPool& pool)
    : root_(std::move(root)), incoming_(root_ / ".Incoming"), pool_(pool) {
  ensure_folder(incoming_);
}

fs::path FolderStore::path_of(std::string_view key) const {
  require_valid(key);
  return root_ / fs::path{std::string{key}};
}

boost::asio::awaitable<void> FolderStore::put(std::string key, std::string bytes,
                                              std::string content_type) {
  auto target = path_of(key);
  if (content_type.find('\n') != std::string::npos) {
    throw std::invalid_argument("a content type is one line");
  }
  auto work = [this, target = std::move(target), bytes = std::move(bytes),
               content_type = std::move(content_type)] {
    ensure_folder(target.parent_path());
    const auto temporary = incoming_ / random_hex(12);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      fail("cannot create", temporary, errno);
    }
    try {
      write_all(fd, content_type + "\n", temporary);
      write_all(fd, bytes, temporary);
      if (::fsync(fd) != 0) {
        fail("cannot flush", temporary, errno);
      }
    } catch (...) {
      ::close(fd);
      ::unlink(temporary.c_str());
      throw;
    }
    ::close(fd);
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
      const int rename_error = errno;
      ::unlink(temporary.c_str());
      fail("cannot move into place", target, rename_error);
    }
    sync_folder(target.parent_path());
  };
  co_await pool_.run(std::move(work));
}

boost::asio::awaitable<std::optional<StoredObject>> FolderStore::get(std::string key) {
  auto path = path_of(key);
  auto work = [path = std::move(path)]() -> std::optional<StoredObject> {
    std::ifstream file{path, std::ios::binary};
    if (!file) {
      if (errno == ENOENT || errno == ENOTDIR) {
        return std::nullopt;
      }
      fail("cannot open", path, errno);
    }
    StoredObject object;
    std::getline(file, object.content_type);
    std::ostringstream rest;
    rest << file.rdbuf();
    if (file.bad()) {
      fail("cannot read", path, errno);
    }
    object.bytes = std::move(rest).str();
    return object;
  };
  co_return co_await pool_.run(std::move(work));
}

boost::asio::awaitable<bool> FolderStore::exists(std::string key) {
  auto path = path_of(key);
  auto work = [path = std::move(path)] {
    std::error_code error;
    return fs::is_regular_file(path, error);
  };
  co_return co_await pool_.run(std::move(work));
}

boost::asio::awaitable<void> FolderStore::remove(std::string key) {
  auto path = path_of(key);
  auto work = [path = std::move(path)] {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
      fail("cannot remove", path, errno);
    }
  };
  co_await pool_.run(std::move(work));
}

std::string FolderStore::describe() const {
  return "folder " + root_.string();
}

}  // namespace boxoffice::storage
