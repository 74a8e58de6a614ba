#include "http/client_address.hpp"

#include <gtest/gtest.h>

namespace boxoffice::http {
namespace {

TEST(ClientAddress, IgnoresForwardedForFromUntrustedPeers) {
  const TrustedProxies proxies{{"10.0.0.1"}};
  EXPECT_EQ(proxies.client_address("203.0.113.9", "198.51.100.1"), "203.0.113.9");
}

TEST(ClientAddress, TakesRightmostUntrustedEntry) {
  const TrustedProxies proxies{{"127.0.0.1", "10.0.0.1"}};
  EXPECT_EQ(proxies.client_address("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.1"), "198.51.100.7");
}

TEST(ClientAddress, FallsBackToPeerWithoutHeader) {
  const TrustedProxies proxies{{"127.0.0.1"}};
  EXPECT_EQ(proxies.client_address("127.0.0.1", ""), "127.0.0.1");
}

TEST(ClientAddress, StopsAtGarbageEntries) {
  const TrustedProxies proxies{{"127.0.0.1"}};
  EXPECT_EQ(proxies.client_address("127.0.0.1", "1.2.3.4, "), "127.0.0.1");
}

}  // namespace
}  // namespace boxoffice::http
