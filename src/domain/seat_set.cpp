// Bit operations for SeatSet. Bits past size() in the last word stay zero so whole-word
// popcounts count only real seats.
#include "domain/seat_set.hpp"

#include <algorithm>
#include <bit>

namespace boxoffice::domain {
namespace {

constexpr std::size_t word_bits = 64;

std::uint64_t low_bits(std::size_t count) {
  return count >= word_bits ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
}

}  // namespace

SeatSet::SeatSet(std::size_t size, bool all)
    : words_((size + word_bits - 1) / word_bits, all ? ~std::uint64_t{0} : 0), size_(size) {
  if (all && size % word_bits != 0) {
    words_.back() = low_bits(size % word_bits);
  }
}

bool SeatSet::contains(SeatIndex index) const noexcept {
  if (index >= size_) {
    return false;
  }
  return ((words_[index / word_bits] >> (index % word_bits)) & 1U) != 0;
}

void SeatSet::insert(SeatIndex index) noexcept {
  if (index < size_) {
    words_[index / word_bits] |= std::uint64_t{1} << (index % word_bits);
  }
}

void SeatSet::erase(SeatIndex index) noexcept {
  if (index < size_) {
    words_[index / word_bits] &= ~(std::uint64_t{1} << (index % word_bits));
  }
}

std::size_t SeatSet::count() const noexcept {
  std::size_t total = 0;
  for (const std::uint64_t word : words_) {
    total += static_cast<std::size_t>(std::popcount(word));
  }
  return total;
}

std::size_t SeatSet::count(SeatIndex first, std::size_t length) const noexcept {
  if (first >= size_) {
    return 0;
  }
  const std::size_t end = first + std::min(length, size_ - first);
  std::size_t total = 0;
  std::size_t bit = first;
  while (bit < end) {
    const std::size_t offset = bit % word_bits;
    const std::size_t span = std::min(word_bits - offset, end - bit);
    const std::uint64_t word = words_[bit / word_bits] >> offset;
    total += static_cast<std::size_t>(std::popcount(word & low_bits(span)));
    bit += span;
  }
  return total;
}

}  // namespace boxoffice::domain
