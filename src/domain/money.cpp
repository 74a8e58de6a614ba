// Price and currency checks, and overflow-checked arithmetic on minor units.
#include "domain/money.hpp"

#include <string>

namespace boxoffice::domain {

bool is_currency_code(std::string_view code) noexcept {
  if (code.size() != 3) {
    return false;
  }
  for (const char c : code) {
    if (c < 'A' || c > 'Z') {
      return false;
    }
  }
  return true;
}

Result<std::string> validate_currency(std::string_view code) {
  if (!is_currency_code(code)) {
    return ValidationError{"currency", "must be an ISO 4217 code of three uppercase letters"};
  }
  return std::string(code);
}

Result<MinorUnits> validate_price(std::int64_t amount, std::string_view field) {
  if (amount < 0 || amount > price_max) {
    return ValidationError{std::string(field),
                           "must be between 0 and " + std::to_string(price_max) + " minor units"};
  }
  return amount;
}

std::optional<MinorUnits> checked_add(MinorUnits a, MinorUnits b) noexcept {
  MinorUnits sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    return std::nullopt;
  }
  return sum;
}

std::optional<MinorUnits> checked_multiply(MinorUnits amount, std::int64_t count) noexcept {
  MinorUnits product = 0;
  if (__builtin_mul_overflow(amount, count, &product)) {
    return std::nullopt;
  }
  return product;
}

Result<PriceList> make_price_list(const SeatMap& map, std::span<const PriceEntry> prices) {
  constexpr MinorUnits unpriced = -1;
  std::vector<MinorUnits> by_category(map.categories().size(), unpriced);
  for (const PriceEntry& entry : prices) {
    const std::string field = "prices." + entry.category;
    const auto category = map.find_category(entry.category);
    if (!category) {
      return ValidationError{field, "'" + entry.category + "' is not a category of the venue"};
    }
    if (by_category[*category] != unpriced) {
      return ValidationError{field, "the category is priced twice"};
    }
    auto amount = validate_price(entry.amount, field);
    if (!amount) {
      return std::move(amount).error();
    }
    by_category[*category] = *amount;
  }
  for (std::size_t i = 0; i < by_category.size(); ++i) {
    if (by_category[i] == unpriced) {
      const std::string& name = map.categories()[i].name;
      return ValidationError{"prices." + name,
                             "every category of the venue needs a price; '" + name + "' has none"};
    }
  }
  return PriceList(std::move(by_category));
}

Expected<MinorUnits, TotalError> total_price(const SeatMap& map, const PriceList& prices,
                                             std::span<const SeatIndex> seats) {
  MinorUnits total = 0;
  for (const SeatIndex index : seats) {
    if (index >= map.size()) {
      return TotalError::unknown_seat;
    }
    const CategoryIndex category = map.seat(index).category_index;
    if (category >= prices.size()) {
      return TotalError::unknown_seat;
    }
    const auto sum = checked_add(total, prices.price(category));
    if (!sum) {
      return TotalError::overflow;
    }
    total = *sum;
  }
  return total;
}

}  // namespace boxoffice::domain
