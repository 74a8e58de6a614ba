// The test provider's behaviour and its ledger SQL; see test_gateway.hpp for the contract.
#include "payments/test_gateway.hpp"

#include "common/random.hpp"
#include "common/time_format.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace boxoffice::payments {
namespace {

using store::sqlite::Connection;
using store::sqlite::SqliteError;
using store::sqlite::Transaction;

constexpr std::size_t max_key_bytes = 255;
// 96 random bits: 24 hex characters after "ch_".
constexpr std::size_t charge_id_bytes = 12;
// A commit's size bound; the ledger's one thread also serves find() and refund() between
// commits.
constexpr std::size_t max_charges_per_commit = 64;

// Column names and types are the ledger's file format, which outlives any one build.
constexpr std::string_view schema = R"sql(
CREATE TABLE IF NOT EXISTS charges (
  key TEXT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('succeeded', 'declined', 'refunded')),
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  decline_reason TEXT,
  created_at INTEGER NOT NULL,
  refunded_at INTEGER
))sql";

struct Decision {
  ChargeStatus status;
  std::string_view decline_reason;
};

Decision decide(std::string_view token) {
  if (token == "tok_visa") {
    return {ChargeStatus::succeeded, {}};
  }
  if (token == "tok_declined") {
    return {ChargeStatus::declined, "card_declined"};
  }
  return {ChargeStatus::declined, "invalid_token"};
}

std::string_view to_string(ChargeStatus status) {
  switch (status) {
    case ChargeStatus::succeeded:
      return "succeeded";
    case ChargeStatus::declined:
      return "declined";
    case ChargeStatus::refunded:
      return "refunded";
  }
  throw std::logic_error("unknown charge status");
}

ChargeStatus parse_status(std::string_view text) {
  for (const auto status :
       {ChargeStatus::succeeded, ChargeStatus::declined, ChargeStatus::refunded}) {
    if (text == to_string(status)) {
      return status;
    }
  }
  // The CHECK constraint rules this out unless the file was edited by hand.
  throw SqliteError(SQLITE_CORRUPT, "payment ledger: unknown charge status");
}

std::optional<Charge> read_charge(Connection& ledger, const std::string& key) {
  auto query = ledger.prepare(
      "SELECT id, key, status, amount, currency, decline_reason FROM charges WHERE key = ?");
  query.bind(1, key);
  if (!query.step()) {
    return std::nullopt;
  }
  return Charge{
      .id = query.text(0),
      .key = query.text(1),
      .status = parse_status(query.text(2)),
      .amount = query.integer(3),
      .currency = query.text(4),
      .decline_reason = query.text(5),
  };
}

void check_key(const std::string& key) {
  if (key.empty() || key.size() > max_key_bytes) {
    throw std::invalid_argument("payment key must be 1 to 255 bytes");
  }
}

TestGatewayOptions validated(TestGatewayOptions options) {
  // Written so that NaN fails too.
  if (!(options.failure_rate >= 0.0 && options.failure_rate <= 1.0)) {
    throw std::invalid_argument("payment failure rate must be within [0, 1]");
  }
  if (options.latency < std::chrono::milliseconds::zero()) {
    throw std::invalid_argument("payment latency must not be negative");
  }
  return options;
}

std::string prepared_path(const std::filesystem::path& path) {
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path());
  }
  return path.string();
}

bool draw_failure(double rate) {
  // One engine per thread, so concurrent calls need no lock; the draw only shapes fault
  // tests and needs no cryptographic quality.
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::bernoulli_distribution{rate}(engine);
}

// Runs `work` against the ledger. To the caller a ledger that cannot answer is a provider
// that cannot answer: the outcome is unknown and the order is settled later through find().
template <typename Work>
auto as_provider(Work& work) -> std::invoke_result_t<Work&> {
  try {
    return work();
  } catch (const SqliteError& error) {
    throw GatewayUnavailable(std::string{"payment ledger: "} + error.what());
  }
}

// Runs `work` on the ledger's thread. Not a coroutine, for the reason given at
// BlockingPool::run.
template <typename Work>
auto on_ledger(BlockingPool& pool, Work work)
    -> boost::asio::awaitable<std::invoke_result_t<Work&>> {
  auto guarded = [work = std::move(work)]() mutable { return as_provider(work); };
  return pool.run(std::move(guarded));
}

}  // namespace

TestPaymentGateway::TestPaymentGateway(const Clock& clock, const std::filesystem::path& ledger_path,
                                       TestGatewayOptions options)
    : clock_(clock),
      options_(validated(options)),
      ledger_(prepared_path(ledger_path)),
      charges_([this](auto job) { pool_.post([this, job = std::move(job)] { job(ledger_); }); },
               &record_charges, max_charges_per_commit, 1),
      pool_("payments", 1) {
  // Connection already sets both; restated because the ledger's whole worth rests on them
  // (a charge is on disk before it is reported), whatever the shared wrapper does later.
  ledger_.exec("PRAGMA journal_mode=WAL");
  ledger_.exec("PRAGMA synchronous=FULL");
  ledger_.exec(schema);
}

boost::asio::awaitable<void> TestPaymentGateway::simulate_network() {
  if (options_.latency > std::chrono::milliseconds::zero()) {
    // A timer rather than a sleep, so the I/O thread serves other work meanwhile.
    const auto executor = co_await boost::asio::this_coro::executor;
    boost::asio::steady_timer timer{executor, options_.latency};
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
  if (options_.failure_rate > 0.0 && draw_failure(options_.failure_rate)) {
    throw GatewayUnavailable("payment provider unreachable");
  }
}

// Insert-if-absent and read back under one write lock: the first call to commit fixes the
// charge for a key, and every other call (in this batch or later) reads that one back
// unchanged. A failing ledger fails the whole batch.
std::vector<Charge> TestPaymentGateway::record_charges(Connection& ledger,
                                                       const std::vector<PendingCharge>& batch) {
  auto record = [&ledger, &batch] {
    std::vector<Charge> charges;
    charges.reserve(batch.size());
    Transaction transaction{ledger};
    for (const auto& pending : batch) {
      auto insert = ledger.prepare(
          "INSERT INTO charges (key, id, status, amount, currency, decline_reason, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING");
      insert.bind(1, pending.request.key)
          .bind(2, pending.id)
          .bind(3, to_string(pending.status))
          .bind(4, pending.request.amount)
          .bind(5, pending.request.currency)
          .bind(7, pending.created_at);
      if (pending.decline_reason.empty()) {
        insert.bind_null(6);
      } else {
        insert.bind(6, pending.decline_reason);
      }
      insert.run();
      auto charge = read_charge(ledger, pending.request.key);
      if (!charge) {
        throw std::logic_error("payment ledger lost a charge inside its own transaction");
      }
      charges.push_back(std::move(*charge));
    }
    transaction.commit();
    return charges;
  };
  return as_provider(record);
}

boost::asio::awaitable<Charge> TestPaymentGateway::charge(ChargeRequest request) {
  check_key(request.key);
  if (request.amount < 0) {
    throw std::invalid_argument("payment amount must not be negative");
  }
  co_await simulate_network();
  const Decision decision = decide(request.token);
  PendingCharge pending{.request = std::move(request),
                        .status = decision.status,
                        .decline_reason = std::string{decision.decline_reason},
                        .id = "ch_" + random_hex(charge_id_bytes),
                        .created_at = to_unix_seconds(clock_.now())};
  Charge charge = co_await charges_.submit(std::move(pending));
  if (options_.fail_after_charge) {
    throw GatewayUnavailable("payment provider answer lost after charging");
  }
  co_return charge;
}

boost::asio::awaitable<std::optional<Charge>> TestPaymentGateway::find(std::string key) {
  check_key(key);
  co_await simulate_network();
  auto lookup = [this, key = std::move(key)] { return read_charge(ledger_, key); };
  co_return co_await on_ledger(pool_, std::move(lookup));
}

boost::asio::awaitable<std::optional<Charge>> TestPaymentGateway::refund(std::string key) {
  check_key(key);
  co_await simulate_network();
  auto reverse = [this, key = std::move(key),
                  now = to_unix_seconds(clock_.now())]() -> std::optional<Charge> {
    // Only a succeeded charge moves; a refunded one is read back as it is, which makes a
    // repeated refund answer the same as the first.
    Transaction transaction{ledger_};
    ledger_
        .prepare(
            "UPDATE charges SET status = 'refunded', refunded_at = ? "
            "WHERE key = ? AND status = 'succeeded'")
        .bind(1, now)
        .bind(2, key)
        .run();
    auto charge = read_charge(ledger_, key);
    transaction.commit();
    if (!charge || charge->status != ChargeStatus::refunded) {
      return std::nullopt;
    }
    return charge;
  };
  co_return co_await on_ledger(pool_, std::move(reverse));
}

}  // namespace boxoffice::payments
