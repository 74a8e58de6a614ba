#include "storage/object_store.hpp"

#include <gtest/gtest.h>

namespace boxoffice::storage {
namespace {

TEST(ObjectKey, SafePathsAreValid) {
  for (const std::string_view key :
       {"a", "poster.webp", "posters/0123abcdef.jpg", "a-b_c.d/e", ".hidden"}) {
    EXPECT_TRUE(valid_object_key(key)) << key;
  }
}

TEST(ObjectKey, AnythingThatCouldLeaveTheFolderOrNeedEscapingIsInvalid) {
  for (const std::string_view key : {"", "/a", "a/", "a//b", ".", "..", "a/../b", "./a", "A.jpg",
                                     "a b", "a%2fb", "a\\b", "a?b", "a#b", "é.jpg"}) {
    EXPECT_FALSE(valid_object_key(key)) << key;
  }
  EXPECT_FALSE(valid_object_key(std::string(201, 'a')));
  EXPECT_TRUE(valid_object_key(std::string(200, 'a')));
}

}  // namespace
}  // namespace boxoffice::storage
