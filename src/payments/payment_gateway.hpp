// The payment provider as the order flow sees it: charge, look up and refund by an
// idempotency key (the order id). Orders are written `pending` before the charge and
// `confirmed` after, so the provider's own ledger is what lets a restarted server find
// out whether a pending order was paid and repair it.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace boxoffice::payments {

enum class ChargeStatus { succeeded, declined, refunded };

struct ChargeRequest {
  // Scopes idempotency: the order id, so a retried order can never pay twice.
  std::string key;
  std::string token;
  // Integer minor units (cents), as everywhere money is held.
  std::int64_t amount = 0;
  std::string currency;
};

struct Charge {
  std::string id;
  std::string key;
  ChargeStatus status = ChargeStatus::declined;
  std::int64_t amount = 0;
  std::string currency;
  // Empty unless declined.
  std::string decline_reason;

  bool operator==(const Charge&) const = default;
};

// The provider could not be reached or its answer was lost: whether the charge happened
// is unknown until find() says so. The HTTP layer answers 503.
class GatewayUnavailable : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;

  // Idempotent on request.key: a second call with the same key returns the first charge
  // unchanged (whatever the token), never charges twice. A decline is an answer, not an
  // error: it comes back as a charge with status `declined`.
  virtual boost::asio::awaitable<Charge> charge(ChargeRequest request) = 0;
  // The charge recorded under `key`, if any; how a restarted server settles pending orders.
  virtual boost::asio::awaitable<std::optional<Charge>> find(std::string key) = 0;
  // Idempotent; refunding a declined or unknown charge is a no-op returning nullopt.
  virtual boost::asio::awaitable<std::optional<Charge>> refund(std::string key) = 0;
};

}  // namespace boxoffice::payments
