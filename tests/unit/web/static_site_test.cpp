#include "web/static_site.hpp"
#include "web/page_security.hpp"

#include "database_backends.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace boxoffice::web {
namespace {

void write(const std::filesystem::path& file, std::string_view content) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream{file, std::ios::binary} << content;
}

TEST(StaticSite, ReadsEveryFileWithItsTypeAndTellsHashedAssetsApart) {
  test_support::TempFolder root;
  write(root.path() / "index.html", "<!doctype html>");
  write(root.path() / "assets" / "index-1a2b.js", "export {}");
  write(root.path() / "favicon.svg", "<svg/>");
  write(root.path() / ".hidden" / "secret.txt", "no");
  const auto site = StaticSite::load(root.path());

  EXPECT_EQ(site->size(), 3U);
  EXPECT_EQ(site->index().body, "<!doctype html>");
  EXPECT_EQ(site->index().content_type, "text/html; charset=utf-8");
  EXPECT_FALSE(site->index().immutable);
  const auto* script = site->find("/assets/index-1a2b.js");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_TRUE(script->immutable);
  EXPECT_EQ(script->etag.front(), '"');
  EXPECT_NE(script->etag, site->index().etag);
  EXPECT_FALSE(site->find("/favicon.svg")->immutable);
  EXPECT_EQ(site->find("/.hidden/secret.txt"), nullptr);
  EXPECT_EQ(site->find("/assets/../index.html"), nullptr);
}

TEST(StaticSite, AFolderWithoutIndexIsRefused) {
  test_support::TempFolder root;
  write(root.path() / "app.js", "1");
  EXPECT_THROW(StaticSite::load(root.path()), StaticSiteError);
  EXPECT_THROW(StaticSite::load(root.path() / "missing"), StaticSiteError);
}

TEST(ContentTypes, KnownByExtensionElseOctetStream) {
  EXPECT_EQ(content_type_for("a/b.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("x.webp"), "image/webp");
  EXPECT_EQ(content_type_for("x.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("x.exe"), "application/octet-stream");
}

TEST(ContentSecurityPolicy, AllowsNoInlineScriptAndAddsThePosterOrigin) {
  const auto local = content_security_policy("");
  EXPECT_NE(local.find("script-src 'self';"), std::string::npos);
  EXPECT_EQ(local.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(local.find("unsafe-eval"), std::string::npos);
  EXPECT_NE(local.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(local.find("img-src 'self' data: blob:;"), std::string::npos);
  const auto cdn = content_security_policy("https://cdn.example.com:8443/shop");
  EXPECT_NE(cdn.find("img-src 'self' data: blob: https://cdn.example.com:8443;"),
            std::string::npos);
}

TEST(ContentSecurityPolicy, APosterSettingCannotAddADirective) {
  const auto base = content_security_policy("");
  for (const auto* url : {"https://evil.example;script-src *", "javascript:alert(1)",
                          "ftp://files.example.com", "cdn.example.com", "https://"}) {
    EXPECT_EQ(content_security_policy(url), base) << url;
  }
}

}  // namespace
}  // namespace boxoffice::web
