// Money as integer minor units (cents) with an ISO 4217 currency: price validation, an
// event's price list per seat category, and totals that refuse to overflow rather than wrap.
#pragma once

#include "domain/expected.hpp"
#include "domain/seat_map.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace boxoffice::domain {

using MinorUnits = std::int64_t;

inline constexpr MinorUnits price_max = 100'000'000;  // one million in a two-decimal currency

// Three uppercase ASCII letters. Only the shape is checked: a list of live codes would need
// updating as currencies come and go, and the payment provider refuses unknown ones anyway.
[[nodiscard]] bool is_currency_code(std::string_view code) noexcept;
// field "currency".
[[nodiscard]] Result<std::string> validate_currency(std::string_view code);
// 0..price_max; the error names `field`.
[[nodiscard]] Result<MinorUnits> validate_price(std::int64_t amount, std::string_view field);

[[nodiscard]] std::optional<MinorUnits> checked_add(MinorUnits a, MinorUnits b) noexcept;
[[nodiscard]] std::optional<MinorUnits> checked_multiply(MinorUnits amount,
                                                         std::int64_t count) noexcept;

struct PriceEntry {
  std::string category;
  std::int64_t amount = 0;
};

// The price of every category of one seat map, looked up by category index.
class PriceList {
 public:
  // category must be below the map's categories().size().
  [[nodiscard]] MinorUnits price(CategoryIndex category) const { return prices_.at(category); }
  [[nodiscard]] std::size_t size() const noexcept { return prices_.size(); }

 private:
  explicit PriceList(std::vector<MinorUnits> prices) : prices_(std::move(prices)) {}
  friend Result<PriceList> make_price_list(const SeatMap& map, std::span<const PriceEntry> prices);

  std::vector<MinorUnits> prices_;
};

// Every category of the map needs exactly one price, and every priced category must exist,
// so that a seat can never be sold without a price. Errors name "prices.<category>".
[[nodiscard]] Result<PriceList> make_price_list(const SeatMap& map,
                                                std::span<const PriceEntry> prices);

enum class TotalError {
  unknown_seat,  // a seat index outside the map, or a price list made for another map
  overflow,      // the sum does not fit in MinorUnits
};

// The sum of the seats' prices.
[[nodiscard]] Expected<MinorUnits, TotalError> total_price(const SeatMap& map,
                                                           const PriceList& prices,
                                                           std::span<const SeatIndex> seats);

}  // namespace boxoffice::domain
