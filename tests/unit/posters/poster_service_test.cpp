// PosterService against every database backend and a folder store: an upload becomes
// content-addressed files and the event's poster, and a replaced poster's files are
// removed only after the grace period and only when no current poster shares them. Time
// is a test clock; each test has its own folder (and, on MariaDB, freshly dropped tables).
#include "posters/poster_service.hpp"

#include "common/run_sync.hpp"
#include "common/time_format.hpp"
#include "database_backends.hpp"
#include "posters/poster_record.hpp"
#include "storage/folder_store.hpp"
#include "store/database.hpp"
#include "test_images.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace boxoffice::posters {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Names = std::set<std::string>;

using test_support::DatabaseBackend;
using test_support::TempFolder;

// Read from the service's coroutines on other threads, so it is atomic.
class TestClock final : public Clock {
 public:
  explicit TestClock(TimePoint start) : ticks_(start.time_since_epoch().count()) {}

  [[nodiscard]] TimePoint now() const override { return TimePoint{TimePoint::duration{ticks_}}; }
  void advance(TimePoint::duration by) { ticks_ += by.count(); }

 private:
  std::atomic<TimePoint::rep> ticks_;
};

std::vector<DatabaseBackend> database_backends() {
  constexpr std::size_t database_connections = 2;
  return test_support::database_backends(database_connections);
}

TimePoint at(std::int64_t seconds) {
  return from_unix_seconds(1'750'000'000 + seconds);
}

// Small enough to render quickly, wide enough for every width but the largest: 320, 640
// and its own 700, each in two formats.
std::string jpeg_upload(int blue) {
  return test_images::encode(test_images::ramp(700, 400, blue), ".jpg");
}

constexpr int variants_per_poster = 6;

class PosterServiceTest : public testing::TestWithParam<DatabaseBackend> {
 protected:
  static constexpr const char* event_id = "ev-1";
  static constexpr const char* other_event_id = "ev-2";
  static constexpr auto grace = std::chrono::hours{24};

  void SetUp() override {
    db_ = GetParam().make(folder_);
    if (!db_) {
      GTEST_SKIP() << GetParam().name << " is not available here";
    }
    db_->migrate();
    auto venue = store::VenueRecord{
        .id = "v-1",
        .name = "Hall",
        .layout_json =
            R"({"sections":[{"name":"Stalls","category":"standard","rows":[{"label":"A","seats":10}]}],"areas":[]})",
        .capacity = 10,
        .created_at = at(0)};
    run_sync(db_->catalog().create_venue(std::move(venue)));
    create_event(event_id);
    create_event(other_event_id);
    service_ = std::make_unique<PosterService>(
        db_->catalog(), objects_, workers_, clock_,
        PosterSettings{.limits = {}, .retire_grace = grace, .sweep_batch = 100});
  }

  void create_event(const std::string& id) {
    auto event = store::EventRecord{.id = id,
                                    .venue_id = "v-1",
                                    .title = "Title of " + id,
                                    .artist = "Artist of " + id,
                                    .starts_at = at(90'000),
                                    .sale_starts_at = at(0),
                                    .status = "on_sale",
                                    .currency = "EUR",
                                    .prices_json = R"({"standard":5000})",
                                    .max_tickets_per_order = 6,
                                    .hold_seconds = 420,
                                    .poster_json = std::nullopt,
                                    .created_at = at(0)};
    run_sync(db_->catalog().create_event(std::move(event)));
  }

  PosterService& service() { return *service_; }

  bool replace(const std::string& event, const std::string& upload) {
    return run_sync(service().replace(event, upload));
  }

  int sweep() { return run_sync(service().sweep()); }

  std::optional<storage::StoredObject> read(const std::string& name) {
    return run_sync(service().read(name));
  }

  std::optional<std::string> poster_json_of(const std::string& event) {
    const auto found = run_sync(db_->catalog().find_event(event));
    EXPECT_TRUE(found.has_value()) << event;
    return found ? found->poster_json : std::nullopt;
  }

  // The public names of the event's current poster (empty when it has none).
  Names poster_names_of(const std::string& event) {
    const auto stored = poster_json_of(event);
    if (!stored) {
      return {};
    }
    const auto poster = parse_stored_poster(*stored);
    EXPECT_TRUE(poster.has_value()) << *stored;
    Names names;
    for (const auto& variant : poster ? poster->variants : std::vector<StoredVariant>{}) {
      EXPECT_TRUE(variant.key.starts_with(key_folder)) << variant.key;
      names.insert(variant.key.substr(key_folder.size()));
    }
    return names;
  }

  // What is really in the store's folder, whatever the service believes.
  Names stored_names() const {
    Names names;
    const auto folder = objects_root_ / key_folder;
    if (!fs::exists(folder)) {
      return names;
    }
    for (const auto& entry : fs::directory_iterator{folder}) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }

  static Names joined(const Names& a, const Names& b) {
    Names all = a;
    all.insert(b.begin(), b.end());
    return all;
  }

  TempFolder folder_;
  std::shared_ptr<store::Database> db_;
  fs::path objects_root_ = folder_.path() / "objects";
  BlockingPool file_pool_{"files", 2};
  storage::FolderStore objects_{objects_root_, file_pool_};
  ImageWorkers workers_{1, 2};
  TestClock clock_{at(1'000)};
  std::unique_ptr<PosterService> service_;
};

TEST_P(PosterServiceTest, APosterForAMissingEventIsRefusedAndNothingIsStored) {
  EXPECT_FALSE(replace("no-such-event", jpeg_upload(10)));

  EXPECT_TRUE(stored_names().empty());
}

TEST_P(PosterServiceTest, AnUploadBecomesTheEventsPosterWithEveryVariantStored) {
  ASSERT_TRUE(replace(event_id, jpeg_upload(10)));

  const auto stored = poster_json_of(event_id);
  ASSERT_TRUE(stored.has_value());
  const auto poster = parse_stored_poster(*stored);
  ASSERT_TRUE(poster.has_value());
  ASSERT_EQ(poster->variants.size(), static_cast<std::size_t>(variants_per_poster));
  EXPECT_EQ(stored_names(), poster_names_of(event_id));
  for (const auto& variant : poster->variants) {
    SCOPED_TRACE(variant.key);
    const auto name = variant.key.substr(key_folder.size());
    const auto extension = variant.content_type == "image/webp" ? ".webp" : ".jpg";
    EXPECT_THAT(name, testing::MatchesRegex(std::string{"[0-9a-f]{32}\\"} + extension));
    const auto object = read(name);
    ASSERT_TRUE(object.has_value());
    EXPECT_EQ(object->content_type, variant.content_type);
    // The name is the hash of the very bytes served under it.
    EXPECT_EQ(variant_name(object->bytes, object->content_type), name);
    EXPECT_EQ(test_images::decode(object->bytes).width(), variant.width);
  }
  EXPECT_FALSE(poster_json_of(other_event_id).has_value());
}

TEST_P(PosterServiceTest, TheSameImageUploadedAgainKeepsItsNamesAndItsFiles) {
  const auto upload = jpeg_upload(10);
  ASSERT_TRUE(replace(event_id, upload));
  const auto first_names = poster_names_of(event_id);

  ASSERT_TRUE(replace(event_id, upload));
  ASSERT_TRUE(replace(other_event_id, upload));

  EXPECT_EQ(poster_names_of(event_id), first_names);
  EXPECT_EQ(poster_names_of(other_event_id), first_names);
  clock_.advance(grace + 1s);
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(stored_names(), first_names);
}

TEST_P(PosterServiceTest, AReplacedPostersFilesGoOnlyAfterTheGracePeriod) {
  ASSERT_TRUE(replace(event_id, jpeg_upload(10)));
  const auto old_names = poster_names_of(event_id);
  ASSERT_TRUE(replace(event_id, jpeg_upload(200)));
  const auto new_names = poster_names_of(event_id);
  ASSERT_EQ(new_names.size(), static_cast<std::size_t>(variants_per_poster));
  ASSERT_NE(new_names, old_names);
  EXPECT_EQ(stored_names(), joined(old_names, new_names));

  // Pages cached just before the replacement may still show the old poster.
  clock_.advance(grace - 1s);
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(stored_names(), joined(old_names, new_names));

  clock_.advance(2s);
  EXPECT_EQ(sweep(), variants_per_poster);
  EXPECT_EQ(stored_names(), new_names);
  EXPECT_FALSE(read(*old_names.begin()).has_value());
  EXPECT_TRUE(read(*new_names.begin()).has_value());

  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(stored_names(), new_names);
}

TEST_P(PosterServiceTest, FilesAnotherEventsPosterStillUsesAreKept) {
  const auto shared = jpeg_upload(10);
  ASSERT_TRUE(replace(event_id, shared));
  ASSERT_TRUE(replace(other_event_id, shared));
  const auto shared_names = poster_names_of(event_id);
  ASSERT_TRUE(replace(event_id, jpeg_upload(200)));
  const auto new_names = poster_names_of(event_id);

  clock_.advance(grace + 1s);
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(stored_names(), joined(shared_names, new_names));
  for (const auto& name : shared_names) {
    EXPECT_TRUE(read(name).has_value()) << name;
  }

  // Once the other event moves on too, nothing uses them and they go after its grace.
  ASSERT_TRUE(replace(other_event_id, jpeg_upload(200)));
  EXPECT_EQ(sweep(), 0);
  clock_.advance(grace + 1s);
  EXPECT_EQ(sweep(), variants_per_poster);
  EXPECT_EQ(stored_names(), new_names);
}

TEST_P(PosterServiceTest, FilesOfAPosterAnotherEventRetiredMoreRecentlyStayForThatGrace) {
  const auto shared = jpeg_upload(10);
  ASSERT_TRUE(replace(event_id, shared));
  ASSERT_TRUE(replace(other_event_id, shared));
  const auto shared_names = poster_names_of(event_id);
  ASSERT_TRUE(replace(other_event_id, jpeg_upload(100)));
  clock_.advance(grace - 1h);
  ASSERT_TRUE(replace(event_id, jpeg_upload(200)));

  // The other event's copy is past its grace, but pages of the first event cached an hour
  // ago may still show the shared files.
  clock_.advance(1h + 1s);
  sweep();
  for (const auto& name : shared_names) {
    EXPECT_TRUE(read(name).has_value()) << name;
  }

  clock_.advance(grace);
  sweep();
  for (const auto& name : shared_names) {
    EXPECT_FALSE(read(name).has_value()) << name;
  }
}

TEST_P(PosterServiceTest, ASweepHandlesAtMostItsBatchOfRetiredPosters) {
  service_ = std::make_unique<PosterService>(
      db_->catalog(), objects_, workers_, clock_,
      PosterSettings{.limits = {}, .retire_grace = grace, .sweep_batch = 1});
  ASSERT_TRUE(replace(event_id, jpeg_upload(10)));
  ASSERT_TRUE(replace(event_id, jpeg_upload(100)));
  ASSERT_TRUE(replace(event_id, jpeg_upload(200)));
  const auto current_names = poster_names_of(event_id);
  clock_.advance(grace + 1s);

  EXPECT_EQ(sweep(), variants_per_poster);
  EXPECT_EQ(stored_names().size(), static_cast<std::size_t>(2 * variants_per_poster));
  EXPECT_EQ(sweep(), variants_per_poster);
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(stored_names(), current_names);
}

TEST_P(PosterServiceTest, AnInvalidUploadIsRefusedAndTheCurrentPosterStays) {
  ASSERT_TRUE(replace(event_id, jpeg_upload(10)));
  const auto before = poster_json_of(event_id);
  const auto names_before = stored_names();

  EXPECT_THROW(replace(event_id, "hello, this is not a jpeg"), InvalidImage);

  EXPECT_EQ(poster_json_of(event_id), before);
  EXPECT_EQ(stored_names(), names_before);
}

TEST_P(PosterServiceTest, ReadOnlyAnswersNamesOfVariants) {
  // Objects a careless read could reach: outside the posters folder and below it.
  run_sync(objects_.put("x.jpg", "outside", "image/jpeg"));
  run_sync(objects_.put("posters/a/b.jpg", "nested", "image/jpeg"));
  ASSERT_TRUE(replace(event_id, jpeg_upload(10)));
  const auto real_name = *poster_names_of(event_id).begin();

  EXPECT_FALSE(read("../x.jpg").has_value());
  EXPECT_FALSE(read("a/b.jpg").has_value());
  EXPECT_FALSE(read("X.JPG").has_value());
  EXPECT_FALSE(read("").has_value());
  EXPECT_FALSE(read("..").has_value());
  EXPECT_FALSE(read("0123456789abcdef0123456789abcdef.jpg").has_value());
  EXPECT_TRUE(read(real_name).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, PosterServiceTest, testing::ValuesIn(database_backends()),
                         [](const testing::TestParamInfo<DatabaseBackend>& param_info) {
                           return param_info.param.name;
                         });

}  // namespace
}  // namespace boxoffice::posters
