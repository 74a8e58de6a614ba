#include "object_store_contract.hpp"

#include "common/random.hpp"

#include <vector>

namespace boxoffice::storage::testing {
namespace {

std::string unique_key(std::string_view suffix) {
  return "contract/" + random_hex(16) + std::string{suffix};
}

std::string binary_bytes(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>((i * 131 + 7) % 256);
  }
  return bytes;
}

TEST_P(ObjectStoreContract, AnObjectReadsBackByteForByteWithItsType) {
  const auto key = unique_key(".webp");
  const auto bytes = binary_bytes(300'000);
  run(store().put(key, bytes, "image/webp"));
  const auto stored = run(store().get(key));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->bytes, bytes);
  EXPECT_EQ(stored->content_type, "image/webp");
  EXPECT_TRUE(run(store().exists(key)));
}

TEST_P(ObjectStoreContract, AMissingObjectIsAbsentNotAnError) {
  const auto key = unique_key(".jpg");
  EXPECT_FALSE(run(store().get(key)).has_value());
  EXPECT_FALSE(run(store().exists(key)));
}

TEST_P(ObjectStoreContract, AnEmptyObjectIsStillAnObject) {
  const auto key = unique_key(".bin");
  run(store().put(key, "", "application/octet-stream"));
  const auto stored = run(store().get(key));
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(stored->bytes.empty());
}

TEST_P(ObjectStoreContract, PuttingAgainReplacesTheObject) {
  const auto key = unique_key(".jpg");
  run(store().put(key, "first", "image/jpeg"));
  run(store().put(key, "second, longer", "image/png"));
  const auto stored = run(store().get(key));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->bytes, "second, longer");
  EXPECT_EQ(stored->content_type, "image/png");
}

TEST_P(ObjectStoreContract, RemovingDeletesAndIsIdempotent) {
  const auto key = unique_key(".jpg");
  run(store().put(key, "bytes", "image/jpeg"));
  run(store().remove(key));
  EXPECT_FALSE(run(store().get(key)).has_value());
  EXPECT_FALSE(run(store().exists(key)));
  EXPECT_NO_THROW(run(store().remove(key)));
}

TEST_P(ObjectStoreContract, KeysDoNotShareObjects) {
  const auto first = unique_key(".jpg");
  const auto second = unique_key(".jpg");
  run(store().put(first, "one", "image/jpeg"));
  run(store().put(second, "two", "image/jpeg"));
  run(store().remove(first));
  const auto stored = run(store().get(second));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->bytes, "two");
}

TEST_P(ObjectStoreContract, ManyConcurrentWritesAllLand) {
  std::vector<std::string> keys;
  for (int i = 0; i < 24; ++i) {
    keys.push_back(unique_key(".bin"));
  }
  std::vector<std::future<void>> writes;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    writes.push_back(
        spawn(store().put(keys[i], binary_bytes(1000 + i), "application/octet-stream")));
  }
  drain();
  for (auto& write : writes) {
    EXPECT_NO_THROW(write.get());
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto stored = run(store().get(keys[i]));
    ASSERT_TRUE(stored.has_value()) << keys[i];
    EXPECT_EQ(stored->bytes, binary_bytes(1000 + i));
  }
}

TEST_P(ObjectStoreContract, UnsafeKeysAreRefused) {
  for (const std::string key :
       {"", "../escape", "a//b", "/rooted", "UPPER.jpg", "a/./b", "sp ace"}) {
    EXPECT_THROW(run(store().put(key, "x", "image/jpeg")), std::invalid_argument) << key;
  }
}

}  // namespace
}  // namespace boxoffice::storage::testing
