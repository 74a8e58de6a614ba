// Layout validation: each rule refuses with the field the admin has to fix.
#include "domain/venue_layout.hpp"

#include "test_layouts.hpp"

#include <gtest/gtest.h>

namespace boxoffice::domain {
namespace {

using test_support::section;

VenueLayout valid_layout() {
  return VenueLayout{{section("Stalls", "standard", {10, 12}), section("Balcony", "cheap", {8})},
                     {AreaLayout{"Floor", "standing", 500}}};
}

// The field of the first error, or "" when the layout is accepted.
std::string error_field(const VenueLayout& layout) {
  const auto error = validate_layout(layout);
  return error ? error->field : std::string();
}

TEST(VenueLayout, AcceptsAValidLayout) {
  EXPECT_EQ(validate_layout(valid_layout()), std::nullopt);
}

TEST(VenueLayout, AcceptsSectionsOnlyOrAreasOnly) {
  EXPECT_EQ(error_field(VenueLayout{{section("Stalls", "standard", {1})}, {}}), "");
  EXPECT_EQ(error_field(VenueLayout{{}, {AreaLayout{"Floor", "standing", 1}}}), "");
}

TEST(VenueLayout, RefusesAVenueWithNeitherSectionsNorAreas) {
  const auto error = validate_layout(VenueLayout{});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field, "sections");
  EXPECT_EQ(error->message, "a venue needs at least one section or area");
}

TEST(VenueLayout, RefusesEmptyOrBlankNames) {
  VenueLayout layout = valid_layout();
  layout.sections[1].name = "";
  EXPECT_EQ(error_field(layout), "sections[1].name");
  layout.sections[1].name = "   ";
  EXPECT_EQ(error_field(layout), "sections[1].name");
  layout = valid_layout();
  layout.areas[0].name = "";
  EXPECT_EQ(error_field(layout), "areas[0].name");
}

TEST(VenueLayout, RefusesControlCharactersInNames) {
  VenueLayout layout = valid_layout();
  layout.sections[0].name = "Stalls\nLeft";
  const auto error = validate_layout(layout);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field, "sections[0].name");
  EXPECT_EQ(error->message, "must not contain control characters");
}

TEST(VenueLayout, LimitsNamesToOneHundredCharacters) {
  VenueLayout layout = valid_layout();
  layout.sections[0].name = std::string(100, 'n');
  EXPECT_EQ(error_field(layout), "");
  layout.sections[0].name = std::string(101, 'n');
  EXPECT_EQ(error_field(layout), "sections[0].name");
}

TEST(VenueLayout, CountsNameLengthInCharactersNotBytes) {
  std::string name;
  for (int i = 0; i < 100; ++i) {
    name += "\xc3\xa9";  // é, two bytes
  }
  VenueLayout layout = valid_layout();
  layout.areas[0].name = name;
  EXPECT_EQ(error_field(layout), "");
  layout.areas[0].name = name + "e";
  EXPECT_EQ(error_field(layout), "areas[0].name");
}

TEST(VenueLayout, RefusesDuplicateSectionNames) {
  VenueLayout layout = valid_layout();
  layout.sections[1].name = "Stalls";
  const auto error = validate_layout(layout);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field, "sections[1].name");
  EXPECT_EQ(error->message, "'Stalls' is already the name of a section");
}

TEST(VenueLayout, RefusesDuplicateAreaNames) {
  VenueLayout layout = valid_layout();
  layout.areas.push_back(AreaLayout{"Floor", "standing", 10});
  EXPECT_EQ(error_field(layout), "areas[1].name");
}

TEST(VenueLayout, RefusesAnAreaNamedLikeASection) {
  VenueLayout layout = valid_layout();
  layout.areas[0].name = "Balcony";
  const auto error = validate_layout(layout);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field, "areas[0].name");
  EXPECT_EQ(error->message, "'Balcony' is already the name of a section");
}

TEST(VenueLayout, RefusesASectionWithoutRows) {
  VenueLayout layout = valid_layout();
  layout.sections[1].rows.clear();
  EXPECT_EQ(error_field(layout), "sections[1].rows");
}

TEST(VenueLayout, RefusesDuplicateRowLabelsWithinASection) {
  VenueLayout layout = valid_layout();
  layout.sections[0].rows[1].label = "A";
  const auto error = validate_layout(layout);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field, "sections[0].rows[1].label");
  EXPECT_EQ(error->message, "row 'A' appears twice in section 'Stalls'");
}

TEST(VenueLayout, AllowsTheSameRowLabelInDifferentSections) {
  VenueLayout layout = valid_layout();
  ASSERT_EQ(layout.sections[1].rows[0].label, "A");
  ASSERT_EQ(layout.sections[0].rows[0].label, "A");
  EXPECT_EQ(error_field(layout), "");
}

TEST(VenueLayout, RefusesEmptyRowLabels) {
  VenueLayout layout = valid_layout();
  layout.sections[0].rows[1].label = "";
  EXPECT_EQ(error_field(layout), "sections[0].rows[1].label");
}

TEST(VenueLayout, LimitsSeatsPerRowToOneThroughTenThousand) {
  VenueLayout layout = valid_layout();
  layout.sections[0].rows[1].seats = 0;
  EXPECT_EQ(error_field(layout), "sections[0].rows[1].seats");
  layout.sections[0].rows[1].seats = -3;
  EXPECT_EQ(error_field(layout), "sections[0].rows[1].seats");
  layout.sections[0].rows[1].seats = 10'001;
  const auto error = validate_layout(layout);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field, "sections[0].rows[1].seats");
  EXPECT_EQ(error->message, "must be between 1 and 10000");
  layout.sections[0].rows[1].seats = 10'000;
  EXPECT_EQ(error_field(layout), "");
  layout.sections[0].rows[1].seats = 1;
  EXPECT_EQ(error_field(layout), "");
}

TEST(VenueLayout, LimitsAreaCapacityToOneThroughTenThousand) {
  VenueLayout layout = valid_layout();
  layout.areas[0].capacity = 0;
  EXPECT_EQ(error_field(layout), "areas[0].capacity");
  layout.areas[0].capacity = 10'001;
  EXPECT_EQ(error_field(layout), "areas[0].capacity");
  layout.areas[0].capacity = 10'000;
  EXPECT_EQ(error_field(layout), "");
}

TEST(VenueLayout, LimitsTheVenueToTwoHundredThousandSeats) {
  VenueLayout layout;
  for (int s = 0; s < 20; ++s) {
    layout.sections.push_back(
        section("Section " + std::to_string(s), "standard", std::vector<std::int64_t>(10, 1000)));
  }
  EXPECT_EQ(error_field(layout), "");  // exactly 200000

  layout.areas.push_back(AreaLayout{"Floor", "standing", 1});
  const auto error = validate_layout(layout);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field, "areas[0].capacity");
  EXPECT_EQ(error->message, "the venue would hold more than 200000 seats");
}

TEST(VenueLayout, NamesTheRowThatTakesTheVenueOverItsCapacity) {
  VenueLayout layout;
  for (int s = 0; s < 21; ++s) {
    layout.sections.push_back(
        section("Section " + std::to_string(s), "standard", std::vector<std::int64_t>(10, 1000)));
  }
  EXPECT_EQ(error_field(layout), "sections[20].rows[0].seats");
}

TEST(VenueLayout, RequiresTheCategoryToBeAnIdentifier) {
  VenueLayout layout = valid_layout();
  for (const char* bad : {"", "vip seats", "1st", "_vip", "vip!", "caf\xc3\xa9"}) {
    layout.sections[0].category = bad;
    EXPECT_EQ(error_field(layout), "sections[0].category") << "category '" << bad << "'";
  }
  for (const char* good : {"vip", "VIP", "cat-a_1", "a"}) {
    layout.sections[0].category = good;
    EXPECT_EQ(error_field(layout), "") << "category '" << good << "'";
  }
  layout = valid_layout();
  layout.areas[0].category = "standing room";
  EXPECT_EQ(error_field(layout), "areas[0].category");
}

TEST(VenueLayout, LimitsCategoriesToFiftyCharacters) {
  VenueLayout layout = valid_layout();
  layout.sections[0].category = std::string(50, 'c');
  EXPECT_EQ(error_field(layout), "");
  layout.sections[0].category = std::string(51, 'c');
  const auto error = validate_layout(layout);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field, "sections[0].category");
  EXPECT_EQ(error->message, "must be at most 50 characters");
}

TEST(VenueLayout, ReportsTheFirstBrokenRuleInLayoutOrder) {
  VenueLayout layout = valid_layout();
  layout.sections[1].rows[0].seats = 0;
  layout.areas[0].capacity = 0;
  layout.sections[0].category = "";
  EXPECT_EQ(error_field(layout), "sections[0].category");
}

TEST(Utf8Length, CountsCodePoints) {
  EXPECT_EQ(utf8_length(""), 0U);
  EXPECT_EQ(utf8_length("abc"), 3U);
  EXPECT_EQ(utf8_length("R\xc3\xa4nge"), 5U);      // Ränge
  EXPECT_EQ(utf8_length("\xe2\x82\xac"), 1U);      // €
  EXPECT_EQ(utf8_length("\xf0\x9f\x8e\xad"), 1U);  // a four-byte emoji
}

}  // namespace
}  // namespace boxoffice::domain
