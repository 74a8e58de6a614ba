// The shared ObjectStore contract on a real S3-compatible server: s3rver, which
// scripts/test starts through scripts/test-services and names in BOXOFFICE_TEST_S3_URL, with
// its keys in BOXOFFICE_TEST_AWS_ACCESS_KEY_ID and BOXOFFICE_TEST_AWS_SECRET_ACCESS_KEY.
// Without them the tests skip, as the Redis and MariaDB suites do. The store gets the keys
// the way production does, from AWS_* variables, set here for this process only.
#include "object_store_contract.hpp"
#include "storage/s3/s3_store.hpp"

#include <cstdlib>

namespace boxoffice::storage::testing {
namespace {

const char* variable(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): tests are serial
  return value != nullptr && *value != '\0' ? value : nullptr;
}

// Records a skip for the running test; the fixture then finds no store and its body does
// not run.
void skip_without_server() {
  GTEST_SKIP() << "BOXOFFICE_TEST_S3_URL is not set: run the S3 store tests through "
                  "scripts/test, which starts s3rver (scripts/test-services)";
}

std::unique_ptr<ObjectStore> s3rver_store(boost::asio::io_context& io) {
  const char* url = variable("BOXOFFICE_TEST_S3_URL");
  const char* access_key_id = variable("BOXOFFICE_TEST_AWS_ACCESS_KEY_ID");
  const char* secret_access_key = variable("BOXOFFICE_TEST_AWS_SECRET_ACCESS_KEY");
  if (url == nullptr || access_key_id == nullptr || secret_access_key == nullptr) {
    skip_without_server();
    return nullptr;
  }
  // NOLINTBEGIN(concurrency-mt-unsafe): set before any thread of this test starts
  ::setenv("AWS_ACCESS_KEY_ID", access_key_id, 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", secret_access_key, 1);
  ::unsetenv("AWS_SESSION_TOKEN");
  // NOLINTEND(concurrency-mt-unsafe)
  return s3::open_s3_store(io.get_executor(), url);
}

INSTANTIATE_TEST_SUITE_P(S3, ObjectStoreContract,
                         ::testing::Values(StoreFactory{"S3", s3rver_store}),
                         [](const ::testing::TestParamInfo<StoreFactory>& param_info) {
                           return param_info.param.name;
                         });

}  // namespace
}  // namespace boxoffice::storage::testing
