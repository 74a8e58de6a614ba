#include "app/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace boxoffice::app {
namespace {

TEST(Config, DefaultsToTheEmbeddedBackend) {
  const auto config = load_config({}, std::nullopt);
  EXPECT_EQ(config.listen_host, "127.0.0.1");
  EXPECT_EQ(config.listen_port, 8080);
  EXPECT_EQ(config.database_url, "sqlite:./data/boxoffice.db");
  EXPECT_FALSE(config.redis_url);
}

TEST(Config, ReadsEnvironmentVariables) {
  const auto config = load_config({{"BOXOFFICE_LISTEN", "0.0.0.0:9000"},
                                   {"BOXOFFICE_MAX_INFLIGHT", "7"},
                                   {"BOXOFFICE_TRUSTED_PROXIES", "127.0.0.1, ::1"},
                                   {"BOXOFFICE_DATABASE_COMMIT_BATCH", "16"},
                                   {"BOXOFFICE_USER_CACHE_TTL_MS", "0"},
                                   {"BOXOFFICE_RECONCILE_INTERVAL_MS", "60000"}},
                                  std::nullopt);
  EXPECT_EQ(config.database_commit_batch, 16U);
  EXPECT_EQ(config.user_cache_ttl, std::chrono::milliseconds{0});
  EXPECT_EQ(config.reconcile_interval, std::chrono::milliseconds{60000});
  EXPECT_EQ(config.listen_host, "0.0.0.0");
  EXPECT_EQ(config.listen_port, 9000);
  EXPECT_EQ(config.limits.max_inflight, 7U);
  EXPECT_EQ(config.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "::1"}));
}

TEST(Config, NamesTheBadVariable) {
  const std::vector<std::pair<std::string, std::string>> bad{
      {"BOXOFFICE_LISTEN", "nonsense"},
      {"BOXOFFICE_LISTEN", "127.0.0.1:99999"},
      {"BOXOFFICE_MAX_INFLIGHT", "-1"},
      {"BOXOFFICE_DATABASE_URL", "postgres://x"},
      {"BOXOFFICE_REDIS_URL", "http://x"},
      {"BOXOFFICE_TRUSTED_PROXIES", "not-an-ip"},
      {"BOXOFFICE_DATABASE_COMMIT_BATCH", "0"},
      {"BOXOFFICE_STORAGE_URL", "ftp://x"},
      {"BOXOFFICE_PUBLIC_URL", "tickets.example.com"},
      {"BOXOFFICE_POSTER_URL", "https://cdn.example.com/?v=1"},
      {"BOXOFFICE_IMAGE_WORKERS", "0"},
      {"BOXOFFICE_IMAGE_QUEUE", "-1"},
      {"BOXOFFICE_POSTER_RETIRE_SECONDS", "-1"},
      {"BOXOFFICE_POSTER_SWEEP_INTERVAL_MS", "0"},
  };
  for (const auto& [name, value] : bad) {
    try {
      (void)load_config({{name, value}}, std::nullopt);
      ADD_FAILURE() << name << "=" << value << " was accepted";
    } catch (const ConfigError& error) {
      EXPECT_NE(std::string{error.what()}.find(name), std::string::npos) << error.what();
    }
  }
}

TEST(Config, PosterURLsStartWithTheCdnElseThePublicAddressElseNothing) {
  EXPECT_EQ(load_config({}, std::nullopt).poster_base_url(), "");
  const auto public_only =
      load_config({{"BOXOFFICE_PUBLIC_URL", "https://tickets.example.com/"}}, std::nullopt);
  EXPECT_EQ(public_only.poster_base_url(), "https://tickets.example.com");
  const auto with_cdn = load_config({{"BOXOFFICE_PUBLIC_URL", "https://tickets.example.com"},
                                     {"BOXOFFICE_POSTER_URL", "https://cdn.example.com//"}},
                                    std::nullopt);
  EXPECT_EQ(with_cdn.poster_base_url(), "https://cdn.example.com");
}

TEST(Config, ReadsThePosterSettings) {
  const auto config = load_config({{"BOXOFFICE_IMAGE_WORKERS", "3"},
                                   {"BOXOFFICE_IMAGE_QUEUE", "0"},
                                   {"BOXOFFICE_POSTER_RETIRE_SECONDS", "0"},
                                   {"BOXOFFICE_POSTER_SWEEP_INTERVAL_MS", "250"}},
                                  std::nullopt);
  EXPECT_EQ(config.image_workers, 3U);
  EXPECT_EQ(config.image_queue, 0U);
  EXPECT_EQ(config.poster_retire_grace, std::chrono::seconds{0});
  EXPECT_EQ(config.poster_sweep_interval, std::chrono::milliseconds{250});
}

TEST(Config, UnknownVariablesAreReportedNotFatal) {
  const auto config = load_config({{"BOXOFFICE_SOMETHING_ELSE", "1"}}, std::nullopt);
  EXPECT_EQ(config.ignored_variables, std::vector<std::string>{"BOXOFFICE_SOMETHING_ELSE"});
}

TEST(Config, FileAddsAndEnvironmentWins) {
  const auto path = testing::TempDir() + "/boxoffice-config-test.toml";
  {
    std::ofstream file{path};
    file << "listen = \"127.0.0.1:9100\"\nmax_connections = 50\n";
  }
  const auto config = load_config({{"BOXOFFICE_LISTEN", "127.0.0.1:9200"}}, path);
  EXPECT_EQ(config.listen_port, 9200);
  EXPECT_EQ(config.limits.max_connections, 50U);
}

TEST(Config, FileTyposAreFatal) {
  const auto path = testing::TempDir() + "/boxoffice-config-typo.toml";
  {
    std::ofstream file{path};
    file << "lisen = \"127.0.0.1:9100\"\n";
  }
  EXPECT_THROW((void)load_config({}, path), ConfigError);
}

// The built front end where the build puts it, used only if there; a named folder must be
// there (checked when serve loads it); an empty value serves the API alone.
TEST(Config, TheWebRootIsOptionalUnlessNamed) {
  const auto defaults = load_config({}, std::nullopt);
  EXPECT_EQ(defaults.web_root, "web/dist");
  EXPECT_FALSE(defaults.web_root_required);
  const auto named = load_config({{"BOXOFFICE_WEB_ROOT", "/srv/shop"}}, std::nullopt);
  EXPECT_EQ(named.web_root, "/srv/shop");
  EXPECT_TRUE(named.web_root_required);
  const auto none = load_config({{"BOXOFFICE_WEB_ROOT", ""}}, std::nullopt);
  EXPECT_EQ(none.web_root, "");
  EXPECT_FALSE(none.web_root_required);
}

}  // namespace
}  // namespace boxoffice::app
