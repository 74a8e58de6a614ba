// The contract's "test" payment method: a provider simulated in-process, with a durable
// ledger in an SQLite file of its own (never the database of record), so that a crash
// between charging and confirming an order is repaired exactly as with a real provider.
#pragma once

#include "common/blocking_pool.hpp"
#include "common/clock.hpp"
#include "common/group_commit.hpp"
#include "payments/payment_gateway.hpp"
#include "store/sqlite/sqlite_connection.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace boxoffice::payments {

struct TestGatewayOptions {
  // Added to every call, as the round trip to a real provider would be.
  std::chrono::milliseconds latency{0};
  // Probability in [0,1] that a call throws GatewayUnavailable before touching the ledger.
  double failure_rate = 0.0;
  // For crash tests: record the charge, then throw GatewayUnavailable as if the answer was
  // lost. Every charge() call then throws, retries included; find() tells what happened.
  bool fail_after_charge = false;
};

// Token `tok_visa` succeeds; `tok_declined` is declined with "card_declined"; any other
// token is declined with "invalid_token". Declines are recorded too, as a provider does.
//
// Every call throws std::invalid_argument for a key that is empty or over 255 bytes (the
// usual provider limit), and charge() for a negative amount: the order flow never sends
// either. A failing ledger surfaces as GatewayUnavailable, since to the caller it is the
// provider failing.
class TestPaymentGateway final : public PaymentGateway {
 public:
  // Opens the ledger at `ledger_path`, creating it and its parent folder if needed. Blocks
  // on the file system, so call it at start-up rather than on an I/O thread. Throws
  // std::invalid_argument for options out of range. `clock` must outlive the gateway, which
  // must outlive every call made on it.
  TestPaymentGateway(const Clock& clock, const std::filesystem::path& ledger_path,
                     TestGatewayOptions options = {});

  boost::asio::awaitable<Charge> charge(ChargeRequest request) override;
  boost::asio::awaitable<std::optional<Charge>> find(std::string key) override;
  boost::asio::awaitable<std::optional<Charge>> refund(std::string key) override;

 private:
  // A charge on its way to the ledger, with everything decided that does not need it.
  struct PendingCharge {
    ChargeRequest request;
    ChargeStatus status = ChargeStatus::declined;
    std::string decline_reason;
    std::string id;
    std::int64_t created_at = 0;
  };

  // Waits out the latency on the caller's executor, then maybe fails the call.
  boost::asio::awaitable<void> simulate_network();
  static std::vector<Charge> record_charges(store::sqlite::Connection& ledger,
                                            const std::vector<PendingCharge>& batch);

  const Clock& clock_;
  TestGatewayOptions options_;
  // Opened without SQLite's own mutex, so it is only ever used from pool_'s one thread.
  // Declared before pool_ so that the thread is joined before the connection closes.
  store::sqlite::Connection ledger_;
  // Charges share commits (the ledger is synchronous=FULL: each commit is an fsync), so
  // that a rush of orders is not paced by the disk. Declared before pool_, whose thread
  // runs its batches and is joined first.
  GroupCommit<PendingCharge, Charge, store::sqlite::Connection> charges_;
  // One thread: SQLite admits one writer at a time and nearly every call writes, so more
  // threads would only queue on the file lock.
  BlockingPool pool_;
};

}  // namespace boxoffice::payments
