#include "sales/availability_history.hpp"

#include <gtest/gtest.h>

namespace boxoffice::sales {
namespace {

using store::SeatStatus;

class ManualClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }

 private:
  TimePoint now_{std::chrono::seconds{1'000'000}};
};

store::Availability availability(std::vector<SeatStatus> seats) {
  store::Availability result{.seats = std::move(seats), .counts = {}};
  for (const auto seat : result.seats) {
    ++(seat == SeatStatus::sold   ? result.counts.sold
       : seat == SeatStatus::held ? result.counts.held
                                  : result.counts.available);
  }
  return result;
}

TEST(AvailabilityEncoding, OneLetterPerSeatInSeatOrder) {
  const std::vector seats{SeatStatus::available, SeatStatus::held, SeatStatus::sold,
                          SeatStatus::available};
  EXPECT_EQ(encode_statuses(seats), "ahsa");
  EXPECT_EQ(encode_statuses({}), "");
}

TEST(AvailabilityEncoding, TheVersionNamesTheContent) {
  EXPECT_EQ(availability_version("ahsa"), availability_version("ahsa"));
  EXPECT_NE(availability_version("ahsa"), availability_version("ahss"));
  EXPECT_EQ(availability_version("a").size(), 32U);
}

TEST(AvailabilityChanges, ListsOnlyTheSeatsThatDiffer) {
  const auto changes = changes_between("aaaa", "ahas");
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->size(), 2U);
  EXPECT_EQ((*changes)[0].index, 1U);
  EXPECT_EQ((*changes)[0].status, 'h');
  EXPECT_EQ((*changes)[1].index, 3U);
  EXPECT_EQ((*changes)[1].status, 's');
  EXPECT_TRUE(changes_between("ahs", "ahs")->empty());
  EXPECT_FALSE(changes_between("aa", "aaa"));
}

class AvailabilityHistoryTest : public ::testing::Test {
 protected:
  ManualClock clock;
  AvailabilityHistory history{clock,
                              {.kept_per_event = 3,
                               .reuse_for = std::chrono::milliseconds{250},
                               .kept_for = std::chrono::seconds{60}}};
};

TEST_F(AvailabilityHistoryTest, AYoungSnapshotAnswersUntilItAges) {
  EXPECT_EQ(history.fresh("ev"), nullptr);
  const auto first = history.record("ev", availability({SeatStatus::available}), clock.now());
  EXPECT_EQ(history.fresh("ev"), first);
  clock.advance(std::chrono::milliseconds{249});
  EXPECT_EQ(history.fresh("ev"), first);
  clock.advance(std::chrono::milliseconds{1});
  EXPECT_EQ(history.fresh("ev"), nullptr);
  EXPECT_EQ(history.fresh("other event"), nullptr);
}

TEST_F(AvailabilityHistoryTest, FindsEarlierVersionsOfTheSameEventOnly) {
  const auto first = history.record(
      "ev", availability({SeatStatus::available, SeatStatus::available}), clock.now());
  const auto second =
      history.record("ev", availability({SeatStatus::held, SeatStatus::available}), clock.now());
  EXPECT_EQ(first->statuses, "aa");
  EXPECT_EQ(second->statuses, "ha");
  EXPECT_EQ(second->counts.held, 1);
  EXPECT_EQ(history.find("ev", first->version), first);
  EXPECT_EQ(history.find("ev", second->version), second);
  EXPECT_EQ(history.find("other", first->version), nullptr);
  EXPECT_EQ(history.find("ev", "no such version"), nullptr);
}

TEST_F(AvailabilityHistoryTest, KeepsABoundedNumberPerEventOldestOut) {
  const auto oldest = history.record("ev", availability({SeatStatus::available}), clock.now());
  history.record("ev", availability({SeatStatus::held}), clock.now());
  history.record("ev", availability({SeatStatus::sold}), clock.now());
  EXPECT_EQ(history.find("ev", oldest->version), oldest);
  history.record("ev", availability({SeatStatus::available, SeatStatus::held}), clock.now());
  EXPECT_EQ(history.find("ev", oldest->version), nullptr);
}

TEST_F(AvailabilityHistoryTest, AStateSeenAgainIsStampedAgainNotKeptTwice) {
  const auto first = history.record("ev", availability({SeatStatus::available}), clock.now());
  history.record("ev", availability({SeatStatus::held}), clock.now());
  clock.advance(std::chrono::seconds{1});
  const auto again = history.record("ev", availability({SeatStatus::available}), clock.now());
  EXPECT_EQ(again->version, first->version);
  EXPECT_EQ(history.fresh("ev"), again);
  // Two distinct states kept, so two more fit before the held one is pushed out.
  const auto held = availability_version("h");
  history.record("ev", availability({SeatStatus::sold}), clock.now());
  EXPECT_NE(history.find("ev", held), nullptr);
  history.record("ev", availability({SeatStatus::sold, SeatStatus::sold}), clock.now());
  EXPECT_EQ(history.find("ev", held), nullptr);
}

TEST_F(AvailabilityHistoryTest, AReadOvertakenByALaterOneNeverBecomesTheNewest) {
  const auto slow_read_started = clock.now();
  clock.advance(std::chrono::milliseconds{5});
  const auto later = history.record("ev", availability({SeatStatus::sold}), clock.now());
  const auto answered =
      history.record("ev", availability({SeatStatus::available}), slow_read_started);
  EXPECT_EQ(answered, later);
  EXPECT_EQ(history.fresh("ev"), later);
  EXPECT_EQ(history.find("ev", availability_version("a")), nullptr);
}

TEST_F(AvailabilityHistoryTest, ForgetsSnapshotsOlderThanTheirLifetime) {
  const auto old = history.record("ev", availability({SeatStatus::available}), clock.now());
  clock.advance(std::chrono::seconds{61});
  history.record("other", availability({SeatStatus::held}), clock.now());
  EXPECT_EQ(history.find("ev", old->version), nullptr);
}

}  // namespace
}  // namespace boxoffice::sales
