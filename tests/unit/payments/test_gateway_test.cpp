// Tests of the test payment provider against a real ledger file: token outcomes,
// idempotency under concurrency, durability across a reopen, refunds, injected faults and
// latency that leaves the I/O thread free.
#include "payments/test_gateway.hpp"

#include "common/random.hpp"
#include "common/run_sync.hpp"
#include "store/sqlite/sqlite_connection.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace boxoffice::payments {
namespace {

using namespace std::chrono_literals;

class FixedClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override {
    return TimePoint{std::chrono::seconds{1'700'000'000}};
  }
};

ChargeRequest request(std::string key, std::string token, std::int64_t amount = 4200) {
  return ChargeRequest{
      .key = std::move(key), .token = std::move(token), .amount = amount, .currency = "EUR"};
}

// Starts every awaitable on a shared io_context run by `threads` threads and collects the
// charges; a call that throws is counted, not lost.
struct Outcomes {
  std::vector<Charge> charges;
  int failures = 0;
};

Outcomes run_concurrently(std::vector<boost::asio::awaitable<Charge>> calls, int threads) {
  boost::asio::io_context io{threads};
  std::mutex mutex;
  Outcomes outcomes;
  for (auto& call : calls) {
    boost::asio::co_spawn(io, std::move(call), [&](std::exception_ptr error, Charge charge) {
      const std::scoped_lock lock{mutex};
      if (error) {
        ++outcomes.failures;
      } else {
        outcomes.charges.push_back(std::move(charge));
      }
    });
  }
  std::vector<std::thread> runners;
  for (int i = 0; i < threads; ++i) {
    runners.emplace_back([&io] { io.run(); });
  }
  for (auto& runner : runners) {
    runner.join();
  }
  return outcomes;
}

class TestGatewayTest : public ::testing::Test {
 protected:
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

  // Nested, so that opening also has to create the folder.
  [[nodiscard]] std::filesystem::path ledger_path() const {
    return folder_ / "payments" / "ledger.sqlite";
  }

  std::unique_ptr<TestPaymentGateway> open(TestGatewayOptions options = {}) {
    return std::make_unique<TestPaymentGateway>(clock_, ledger_path(), options);
  }

  // Read from the file itself, so "charged once" does not rest on the gateway's answers.
  [[nodiscard]] std::int64_t ledger_rows() const {
    store::sqlite::Connection connection{ledger_path().string()};
    auto query = connection.prepare("SELECT COUNT(*) FROM charges");
    query.step();
    return query.integer(0);
  }

  const FixedClock clock_;
  const std::filesystem::path folder_ =
      std::filesystem::temp_directory_path() / ("boxoffice-payments-" + random_hex(8));
};

TEST_F(TestGatewayTest, VisaSucceeds) {
  auto gateway = open();
  const auto charge = run_sync(gateway->charge(request("order-1", "tok_visa")));
  EXPECT_EQ(charge.status, ChargeStatus::succeeded);
  EXPECT_EQ(charge.key, "order-1");
  EXPECT_EQ(charge.amount, 4200);
  EXPECT_EQ(charge.currency, "EUR");
  EXPECT_EQ(charge.decline_reason, "");
  ASSERT_EQ(charge.id.size(), 3U + 24U);
  EXPECT_EQ(charge.id.substr(0, 3), "ch_");
  EXPECT_EQ(charge.id.find_first_not_of("0123456789abcdef", 3), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(ledger_path()));
}

TEST_F(TestGatewayTest, DeclinedTokenIsDeclined) {
  auto gateway = open();
  const auto charge = run_sync(gateway->charge(request("order-1", "tok_declined")));
  EXPECT_EQ(charge.status, ChargeStatus::declined);
  EXPECT_EQ(charge.decline_reason, "card_declined");
}

TEST_F(TestGatewayTest, UnknownTokenIsDeclinedAsInvalid) {
  auto gateway = open();
  const auto charge = run_sync(gateway->charge(request("order-1", "tok_mastercard")));
  EXPECT_EQ(charge.status, ChargeStatus::declined);
  EXPECT_EQ(charge.decline_reason, "invalid_token");
}

TEST_F(TestGatewayTest, SameKeyReturnsTheFirstChargeWhateverTheToken) {
  auto gateway = open();
  const auto first = run_sync(gateway->charge(request("order-1", "tok_visa")));
  const auto second = run_sync(gateway->charge(request("order-1", "tok_declined", 9900)));
  EXPECT_EQ(second, first);
  EXPECT_EQ(ledger_rows(), 1);
}

TEST_F(TestGatewayTest, SameKeyAfterADeclineStaysDeclined) {
  auto gateway = open();
  const auto first = run_sync(gateway->charge(request("order-1", "tok_declined")));
  const auto second = run_sync(gateway->charge(request("order-1", "tok_visa")));
  EXPECT_EQ(second, first);
  EXPECT_EQ(second.status, ChargeStatus::declined);
}

TEST_F(TestGatewayTest, ConcurrentChargesWithOneKeyChargeOnce) {
  auto gateway = open();
  std::vector<boost::asio::awaitable<Charge>> calls;
  for (int i = 0; i < 32; ++i) {
    // Mixed tokens: whichever call wins, every other one must read the same charge back.
    calls.push_back(gateway->charge(request("order-1", i % 2 == 0 ? "tok_visa" : "tok_declined")));
  }
  const auto outcomes = run_concurrently(std::move(calls), 4);
  EXPECT_EQ(outcomes.failures, 0);
  ASSERT_EQ(outcomes.charges.size(), 32U);
  for (const auto& charge : outcomes.charges) {
    EXPECT_EQ(charge, outcomes.charges.front());
  }
  EXPECT_EQ(ledger_rows(), 1);
}

TEST_F(TestGatewayTest, ConcurrentChargesWithTheirOwnKeysEachGetTheirOwnAnswer) {
  // Concurrent charges share ledger commits: each must still get its own charge back.
  auto gateway = open();
  constexpr int count = 200;
  std::vector<boost::asio::awaitable<Charge>> calls;
  for (int i = 0; i < count; ++i) {
    calls.push_back(gateway->charge(
        request("order-" + std::to_string(i), i % 3 == 0 ? "tok_declined" : "tok_visa", 100 + i)));
  }
  const auto outcomes = run_concurrently(std::move(calls), 4);
  EXPECT_EQ(outcomes.failures, 0);
  ASSERT_EQ(outcomes.charges.size(), static_cast<std::size_t>(count));
  std::set<std::string> ids;
  for (const auto& charge : outcomes.charges) {
    const int index = std::stoi(charge.key.substr(std::string_view{"order-"}.size()));
    EXPECT_EQ(charge.amount, 100 + index);
    EXPECT_EQ(charge.status, index % 3 == 0 ? ChargeStatus::declined : ChargeStatus::succeeded);
    ids.insert(charge.id);
    EXPECT_EQ(run_sync(gateway->find(charge.key)), charge);
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(count));
  EXPECT_EQ(ledger_rows(), count);
}

TEST_F(TestGatewayTest, TwoGatewaysOnOneLedgerChargeOnce) {
  // Two connections on two threads really contend for the file, so this exercises the
  // transaction rather than the single ledger thread.
  auto first = open();
  auto second = open();
  std::vector<boost::asio::awaitable<Charge>> calls;
  for (int i = 0; i < 16; ++i) {
    calls.push_back(first->charge(request("order-1", "tok_visa")));
    calls.push_back(second->charge(request("order-1", "tok_visa")));
  }
  const auto outcomes = run_concurrently(std::move(calls), 4);
  EXPECT_EQ(outcomes.failures, 0);
  ASSERT_EQ(outcomes.charges.size(), 32U);
  for (const auto& charge : outcomes.charges) {
    EXPECT_EQ(charge, outcomes.charges.front());
  }
  EXPECT_EQ(ledger_rows(), 1);
}

TEST_F(TestGatewayTest, FindsACharge) {
  auto gateway = open();
  const auto charge = run_sync(gateway->charge(request("order-1", "tok_visa")));
  EXPECT_EQ(run_sync(gateway->find("order-1")), charge);
}

TEST_F(TestGatewayTest, FindsNothingForAnUnknownKey) {
  auto gateway = open();
  EXPECT_EQ(run_sync(gateway->find("order-1")), std::nullopt);
}

TEST_F(TestGatewayTest, LedgerSurvivesAReopen) {
  auto gateway = open();
  const auto paid = run_sync(gateway->charge(request("order-1", "tok_visa")));
  const auto declined = run_sync(gateway->charge(request("order-2", "tok_declined")));
  gateway.reset();

  auto reopened = open();
  EXPECT_EQ(run_sync(reopened->find("order-1")), paid);
  EXPECT_EQ(run_sync(reopened->find("order-2")), declined);
  EXPECT_EQ(run_sync(reopened->charge(request("order-1", "tok_visa"))), paid);
  EXPECT_EQ(ledger_rows(), 2);
}

TEST_F(TestGatewayTest, RefundIsIdempotent) {
  auto gateway = open();
  const auto charge = run_sync(gateway->charge(request("order-1", "tok_visa")));

  const auto first = run_sync(gateway->refund("order-1"));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->id, charge.id);
  EXPECT_EQ(first->status, ChargeStatus::refunded);
  EXPECT_EQ(first->amount, charge.amount);

  EXPECT_EQ(run_sync(gateway->refund("order-1")), first);
  EXPECT_EQ(run_sync(gateway->find("order-1")), first);
  // A refunded key is still spent: charging it again must not take money a second time.
  EXPECT_EQ(run_sync(gateway->charge(request("order-1", "tok_visa"))), *first);
}

TEST_F(TestGatewayTest, RefundOfADeclinedChargeIsNothing) {
  auto gateway = open();
  const auto declined = run_sync(gateway->charge(request("order-1", "tok_declined")));
  EXPECT_EQ(run_sync(gateway->refund("order-1")), std::nullopt);
  EXPECT_EQ(run_sync(gateway->find("order-1")), declined);
}

TEST_F(TestGatewayTest, RefundOfAnUnknownKeyIsNothing) {
  auto gateway = open();
  EXPECT_EQ(run_sync(gateway->refund("order-1")), std::nullopt);
  EXPECT_EQ(ledger_rows(), 0);
}

TEST_F(TestGatewayTest, CertainFailureThrowsAndRecordsNothing) {
  auto gateway = open({.failure_rate = 1.0});
  EXPECT_THROW(run_sync(gateway->charge(request("order-1", "tok_visa"))), GatewayUnavailable);
  EXPECT_THROW(run_sync(gateway->find("order-1")), GatewayUnavailable);
  EXPECT_THROW(run_sync(gateway->refund("order-1")), GatewayUnavailable);
  EXPECT_EQ(ledger_rows(), 0);
}

TEST_F(TestGatewayTest, ALedgerThatCannotAnswerIsAProviderThatCannotAnswer) {
  auto gateway = open();
  store::sqlite::Connection{ledger_path().string()}.exec("DROP TABLE charges");
  EXPECT_THROW(run_sync(gateway->charge(request("order-1", "tok_visa"))), GatewayUnavailable);
  EXPECT_THROW(run_sync(gateway->find("order-1")), GatewayUnavailable);
  EXPECT_THROW(run_sync(gateway->refund("order-1")), GatewayUnavailable);
}

TEST_F(TestGatewayTest, AnswerLostAfterChargeLeavesTheChargeToFind) {
  auto gateway = open({.fail_after_charge = true});
  EXPECT_THROW(run_sync(gateway->charge(request("order-1", "tok_visa"))), GatewayUnavailable);
  // A retry is still charged once.
  EXPECT_THROW(run_sync(gateway->charge(request("order-1", "tok_visa"))), GatewayUnavailable);
  const auto found = run_sync(gateway->find("order-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, ChargeStatus::succeeded);
  gateway.reset();

  // As after a crash: a restarted server with a healthy provider sees the same charge.
  auto restarted = open();
  EXPECT_EQ(run_sync(restarted->find("order-1")), found);
  EXPECT_EQ(ledger_rows(), 1);
}

TEST_F(TestGatewayTest, LatencyWaitsWithoutHoldingTheThread) {
  constexpr auto latency = 200ms;
  auto gateway = open({.latency = latency});
  boost::asio::io_context io{1};
  int finished = 0;
  int failures = 0;
  for (const auto* key : {"order-1", "order-2"}) {
    boost::asio::co_spawn(io, gateway->charge(request(key, "tok_visa")),
                          [&](std::exception_ptr error, const Charge&) {
                            if (error) {
                              ++failures;
                            } else {
                              ++finished;
                            }
                          });
  }
  const auto start = std::chrono::steady_clock::now();
  // Runs both calls up to their first wait and returns. Were the latency a sleep, this
  // alone would take both latencies back to back.
  io.poll();
  const auto polled = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(finished, 0);
  io.run();
  const auto elapsed = std::chrono::steady_clock::now() - start;

  EXPECT_EQ(failures, 0);
  EXPECT_EQ(finished, 2);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(polled).count(), latency.count());
  EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(),
            latency.count());
}

TEST_F(TestGatewayTest, RejectsOptionsOutOfRange) {
  EXPECT_THROW(open({.failure_rate = 1.5}), std::invalid_argument);
  EXPECT_THROW(open({.failure_rate = -0.1}), std::invalid_argument);
  EXPECT_THROW(open({.failure_rate = std::nan("")}), std::invalid_argument);
  EXPECT_THROW(open({.latency = -1ms}), std::invalid_argument);
}

TEST_F(TestGatewayTest, RejectsKeysAndAmountsTheOrderFlowNeverSends) {
  auto gateway = open();
  EXPECT_THROW(run_sync(gateway->charge(request("", "tok_visa"))), std::invalid_argument);
  EXPECT_THROW(run_sync(gateway->find(std::string(256, 'k'))), std::invalid_argument);
  EXPECT_THROW(run_sync(gateway->charge(request("order-1", "tok_visa", -1))),
               std::invalid_argument);
  EXPECT_NO_THROW(run_sync(gateway->find(std::string(255, 'k'))));
  EXPECT_EQ(ledger_rows(), 0);
}

}  // namespace
}  // namespace boxoffice::payments
