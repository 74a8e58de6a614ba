#include "object_store_contract.hpp"

#include "common/random.hpp"
#include "storage/folder_store.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace boxoffice::storage::testing {
namespace {

namespace fs = std::filesystem;

fs::path fresh_folder() {
  return fs::temp_directory_path() / ("boxoffice-folder-store-" + random_hex(8));
}

BlockingPool& file_pool() {
  static BlockingPool pool{"files", 2};
  return pool;
}

StoreFactory folder_factory() {
  return {.name = "Folder", .make = [](boost::asio::io_context&) -> std::unique_ptr<ObjectStore> {
            return std::make_unique<FolderStore>(fresh_folder(), file_pool());
          }};
}

INSTANTIATE_TEST_SUITE_P(Folder, ObjectStoreContract, ::testing::Values(folder_factory()),
                         [](const auto& suite) { return suite.param.name; });

class FolderStoreFiles : public ::testing::Test {
 protected:
  void TearDown() override { fs::remove_all(root_); }

  template <typename T>
  T run(boost::asio::awaitable<T> work) {
    auto future = boost::asio::co_spawn(io_, std::move(work), boost::asio::use_future);
    io_.restart();
    io_.run();
    return future.get();
  }

  fs::path root_ = fresh_folder();
  boost::asio::io_context io_;
  FolderStore store_{root_, file_pool()};
};

TEST_F(FolderStoreFiles, AnObjectIsOneFileUnderItsKeyAndNoWriteIsLeftBehind) {
  run(store_.put("posters/abc.webp", "RIFF....WEBP", "image/webp"));
  EXPECT_TRUE(fs::is_regular_file(root_ / "posters" / "abc.webp"));
  EXPECT_TRUE(fs::is_empty(root_ / ".Incoming"));
}

TEST_F(FolderStoreFiles, AnUnreadableFolderIsUnavailableNotAbsent) {
  if (::geteuid() == 0) {
    // root reads any file whatever its mode; make the path a file's child instead.
    std::ofstream{root_ / "blocker"} << "x";
    EXPECT_FALSE(run(store_.get("blocker/inside.jpg")).has_value());
    EXPECT_THROW(run(store_.put("blocker/inside.jpg", "x", "image/jpeg")), StorageUnavailable);
    return;
  }
  run(store_.put("locked/a.jpg", "x", "image/jpeg"));
  fs::permissions(root_ / "locked", fs::perms::none);
  EXPECT_THROW(run(store_.get("locked/a.jpg")), StorageUnavailable);
  fs::permissions(root_ / "locked", fs::perms::owner_all);
}

TEST_F(FolderStoreFiles, ObjectsSurviveANewStoreOnTheSameFolder) {
  run(store_.put("kept.jpg", "bytes", "image/jpeg"));
  FolderStore reopened{root_, file_pool()};
  const auto stored = run(reopened.get("kept.jpg"));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->bytes, "bytes");
  EXPECT_EQ(stored->content_type, "image/jpeg");
}

}  // namespace
}  // namespace boxoffice::storage::testing
