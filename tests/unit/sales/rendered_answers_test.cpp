// The memos that let a crowd's reads share one rendering.
#include "sales/availability_history.hpp"
#include "sales/catalog.hpp"

#include <gtest/gtest.h>

namespace boxoffice::sales {
namespace {

TEST(RenderedEvent, RendersOncePerNumberOfSeatsAvailable) {
  RenderedEvent rendered;
  int renders = 0;
  const auto render_for = [&renders](std::int64_t available) {
    return [&renders, available] {
      ++renders;
      return "available " + std::to_string(available);
    };
  };
  EXPECT_EQ(*rendered.get_or_render(10, render_for(10)), "available 10");
  EXPECT_EQ(*rendered.get_or_render(10, render_for(10)), "available 10");
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(*rendered.get_or_render(9, render_for(9)), "available 9");
  EXPECT_EQ(renders, 2);
  EXPECT_EQ(*rendered.get_or_render(10, render_for(10)), "available 10") << "back to 10";
  EXPECT_EQ(renders, 3);
}

TEST(RenderedAnswers, RendersOnceForEachVersionAskedSince) {
  RenderedAnswers answers;
  int renders = 0;
  const auto render = [&renders] {
    ++renders;
    return std::string{"body "} + std::to_string(renders);
  };
  EXPECT_EQ(*answers.get_or_render("v1", render), "body 1");
  EXPECT_EQ(*answers.get_or_render("v1", render), "body 1");
  EXPECT_EQ(*answers.get_or_render("", render), "body 2");
  EXPECT_EQ(*answers.get_or_render("v1", render), "body 1");
  EXPECT_EQ(renders, 2);
}

}  // namespace
}  // namespace boxoffice::sales
