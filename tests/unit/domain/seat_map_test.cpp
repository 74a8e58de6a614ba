// Seat map construction: seat ids, seat fields, categories, and id lookup.
#include "domain/seat_map.hpp"

#include "test_layouts.hpp"

#include <gtest/gtest.h>

#include <set>

namespace boxoffice::domain {
namespace {

using test_support::build;
using test_support::section;

VenueLayout concert_hall() {
  return VenueLayout{{section("Stalls", "standard", {3, 4}), section("Boxes", "vip", {2}),
                      section("Gallery", "standard", {2})},
                     {AreaLayout{"Floor", "standing", 3}, AreaLayout{"Bar", "vip", 2}}};
}

TEST(SeatMap, NumbersEverySeatAndPlaceInLayoutOrder) {
  const SeatMap map = build(concert_hall());
  ASSERT_EQ(map.size(), 16U);
  EXPECT_EQ(map.capacity(), 16);
  std::vector<std::string_view> ids;
  for (const Seat& seat : map.seats()) {
    ids.push_back(seat.id);
  }
  EXPECT_EQ(ids,
            (std::vector<std::string_view>{"s0-r0-1", "s0-r0-2", "s0-r0-3", "s0-r1-1", "s0-r1-2",
                                           "s0-r1-3", "s0-r1-4", "s1-r0-1", "s1-r0-2", "s2-r0-1",
                                           "s2-r0-2", "a0-1", "a0-2", "a0-3", "a1-1", "a1-2"}));
}

TEST(SeatMap, DescribesANumberedSeat) {
  const SeatMap map = build(concert_hall());
  const Seat& seat = map.seat(*map.find("s0-r1-3"));
  EXPECT_EQ(seat.id, "s0-r1-3");
  EXPECT_EQ(seat.kind, SeatKind::numbered);
  EXPECT_EQ(seat.category, "standard");
  EXPECT_EQ(seat.section, "Stalls");
  EXPECT_EQ(seat.row, "B");
  EXPECT_EQ(seat.number, 3U);
  EXPECT_EQ(seat.area, "");
  EXPECT_EQ(seat.section_index, 0U);
  EXPECT_EQ(seat.row_index, 1U);
  EXPECT_EQ(seat.area_index, no_index);
  EXPECT_EQ(seat.position, 2U);
  EXPECT_EQ(map.categories()[seat.category_index].name, "standard");
}

TEST(SeatMap, DescribesAGeneralAdmissionPlace) {
  const SeatMap map = build(concert_hall());
  const Seat& seat = map.seat(*map.find("a1-2"));
  EXPECT_EQ(seat.kind, SeatKind::area_place);
  EXPECT_EQ(seat.category, "vip");
  EXPECT_EQ(seat.area, "Bar");
  EXPECT_EQ(seat.number, 2U);
  EXPECT_EQ(seat.section, "");
  EXPECT_EQ(seat.row, "");
  EXPECT_EQ(seat.section_index, no_index);
  EXPECT_EQ(seat.row_index, no_index);
  EXPECT_EQ(seat.area_index, 1U);
  EXPECT_EQ(seat.position, 1U);
}

TEST(SeatMap, ListsCategoriesInOrderOfFirstAppearanceWithTheirCapacity) {
  const SeatMap map = build(concert_hall());
  ASSERT_EQ(map.categories().size(), 3U);
  EXPECT_EQ(map.categories()[0].name, "standard");
  EXPECT_EQ(map.categories()[0].capacity, 9);
  EXPECT_EQ(map.categories()[1].name, "vip");
  EXPECT_EQ(map.categories()[1].capacity, 4);
  EXPECT_EQ(map.categories()[2].name, "standing");
  EXPECT_EQ(map.categories()[2].capacity, 3);
  EXPECT_EQ(map.find_category("vip"), 1U);
  EXPECT_EQ(map.find_category("VIP"), std::nullopt);
  EXPECT_EQ(map.find_category(""), std::nullopt);
}

TEST(SeatMap, GroupsEachCategorysRowsAndAreasInPreferenceOrder) {
  const SeatMap map = build(concert_hall());
  const auto standard = map.runs(*map.find_category("standard"));
  ASSERT_EQ(standard.size(), 3U);
  EXPECT_EQ(map.seat(standard[0].first).id, "s0-r0-1");
  EXPECT_EQ(standard[0].count, 3U);
  EXPECT_EQ(map.seat(standard[1].first).id, "s0-r1-1");
  EXPECT_EQ(map.seat(standard[2].first).id, "s2-r0-1");

  const auto vip = map.runs(*map.find_category("vip"));
  ASSERT_EQ(vip.size(), 2U);
  EXPECT_EQ(vip[0].kind, SeatKind::numbered);
  EXPECT_EQ(vip[1].kind, SeatKind::area_place);
  EXPECT_EQ(map.seat(vip[1].first).id, "a1-1");
  EXPECT_EQ(vip[1].count, 2U);
}

TEST(SeatMap, FindsEverySeatByItsId) {
  const SeatMap map = build(concert_hall());
  for (SeatIndex i = 0; i < map.size(); ++i) {
    EXPECT_EQ(map.find(map.seat(i).id), i) << map.seat(i).id;
  }
}

TEST(SeatMap, RejectsIdsThatNameNoSeat) {
  const SeatMap map = build(concert_hall());
  for (const char* id : {"",
                         "s",
                         "a",
                         "x0-r0-1",
                         "s0-r0-0",
                         "s0-r0-4",
                         "s0-r2-1",
                         "s3-r0-1",
                         "s0-r0-",
                         "s0-r0-1x",
                         "s0-r0-1 ",
                         " s0-r0-1",
                         "s00-r0-1",
                         "s0-r00-1",
                         "s0-r0-01",
                         "s-0-r0-1",
                         "s0r0-1",
                         "S0-R0-1",
                         "a0-0",
                         "a0-4",
                         "a2-1",
                         "a0-01",
                         "a0",
                         "a0-",
                         "a0-1-1",
                         "s4294967296-r0-1",
                         "s0-r0-99999999999999999999",
                         "s1-r0-3"}) {
    EXPECT_EQ(map.find(id), std::nullopt) << "'" << id << "'";
  }
}

TEST(SeatMap, GivesTheSameIdsForTheSameLayout) {
  const SeatMap first = build(concert_hall());
  const SeatMap second = build(concert_hall());
  ASSERT_EQ(first.size(), second.size());
  for (SeatIndex i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first.seat(i).id, second.seat(i).id);
  }
}

TEST(SeatMap, GivesEverySeatADistinctId) {
  const SeatMap map = build(VenueLayout{
      {section("One", "a", {12, 1, 11}), section("Two", "a", {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})},
      {AreaLayout{"Three", "b", 111}}});
  std::set<std::string_view> ids;
  for (const Seat& seat : map.seats()) {
    EXPECT_TRUE(ids.insert(seat.id).second) << seat.id;
  }
}

TEST(SeatMap, CopiesKeepTheirSeatsAfterTheOriginalIsGone) {
  std::optional<SeatMap> original = build(VenueLayout{{}, {AreaLayout{"F", "x", 1}}});
  const SeatMap copy = *original;
  original.reset();
  EXPECT_EQ(copy.seat(0).id, "a0-1");
  EXPECT_EQ(copy.seat(0).area, "F");
  EXPECT_EQ(copy.seat(0).category, "x");
}

TEST(SeatMap, RefusesAnInvalidLayout) {
  VenueLayout layout = concert_hall();
  layout.sections[1].rows[0].seats = 0;
  const auto map = build_seat_map(layout);
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().field, "sections[1].rows[0].seats");
}

TEST(SeatMap, BuildsTheLargestVenueAllowed) {
  VenueLayout layout;
  for (int s = 0; s < 20; ++s) {
    layout.sections.push_back(
        section("Section " + std::to_string(s), "standard", std::vector<std::int64_t>(20, 500)));
  }
  const SeatMap map = build(layout);
  EXPECT_EQ(map.capacity(), 200'000);
  EXPECT_EQ(map.seat(199'999).id, "s19-r19-500");
  EXPECT_EQ(map.find("s19-r19-500"), 199'999U);
}

TEST(SeatKind, HasWireNames) {
  EXPECT_EQ(to_string(SeatKind::numbered), "numbered");
  EXPECT_EQ(to_string(SeatKind::area_place), "area_place");
}

}  // namespace
}  // namespace boxoffice::domain
