// A set of seat indexes as a bitset, one bit per seat of a seat map: the form in which callers
// tell best-available which seats are free. 50,000 seats fit in about 6 KiB, and counting the
// members of a row is a few popcounts, which lets best-available skip full rows quickly.
#pragma once

#include "domain/seat_map.hpp"

#include <cstdint>
#include <vector>

namespace boxoffice::domain {

class SeatSet {
 public:
  SeatSet() = default;
  // `size` seats, all members when `all` is true.
  explicit SeatSet(std::size_t size, bool all = false);

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  // Indexes at or beyond size() are never members: a set made for a smaller map simply
  // offers fewer seats.
  [[nodiscard]] bool contains(SeatIndex index) const noexcept;
  // Indexes at or beyond size() are ignored.
  void insert(SeatIndex index) noexcept;
  void erase(SeatIndex index) noexcept;

  [[nodiscard]] std::size_t count() const noexcept;
  // Members in [first, first + length), clipped to size().
  [[nodiscard]] std::size_t count(SeatIndex first, std::size_t length) const noexcept;

  bool operator==(const SeatSet&) const = default;

 private:
  std::vector<std::uint64_t> words_;
  std::size_t size_ = 0;
};

}  // namespace boxoffice::domain
