#include "api/accounts.hpp"

#include <gtest/gtest.h>

namespace boxoffice::api {
namespace {

TEST(Accounts, NormalizesEmailByTrimmingAndLowerCasing) {
  EXPECT_EQ(normalize_email("  Ann@Example.COM \t"), "ann@example.com");
}

TEST(Accounts, AcceptsOrdinaryAddresses) {
  for (const auto* email : {"ann@example.com", "a.b+tag@mail.example.co.uk", "x@y.io"}) {
    EXPECT_TRUE(is_valid_email(email)) << email;
  }
}

TEST(Accounts, RejectsMalformedAddresses) {
  for (const auto* email :
       {"", "ann", "@example.com", "ann@", "ann@example", "ann@@example.com", "ann@.example.com",
        "ann@example.com.", "a nn@example.com", "ann@exa..mple.com", "ann@example.com\n"}) {
    EXPECT_FALSE(is_valid_email(email)) << email;
  }
  EXPECT_FALSE(is_valid_email(std::string(250, 'a') + "@example.com"));
}

TEST(Accounts, PasswordPolicyCountsCharactersNotBytes) {
  EXPECT_TRUE(password_problem("123456789"));
  EXPECT_FALSE(password_problem("1234567890"));
  // Ten two-byte characters are ten characters.
  EXPECT_FALSE(password_problem("éééééééééé"));
  EXPECT_TRUE(password_problem("ééééé"));
  EXPECT_TRUE(password_problem(std::string(1025, 'x')));
}

}  // namespace
}  // namespace boxoffice::api
