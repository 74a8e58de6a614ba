// One Redis reply as an owned value tree, so that nothing of hiredis's memory outlives the
// callback that received it and a coroutine can keep a reply across suspensions.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace boxoffice::store::redis {

// Redis answered, but not in the shape the caller relies on (an error reply, a script
// that returned something unexpected): a defect or a misconfigured server, not an outage.
class RedisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RedisReply {
  enum class Type : std::uint8_t { nil, integer, string, status, error, array };

  Type type = Type::nil;
  std::int64_t integer = 0;
  // The bytes of a string, status or error reply.
  std::string text;
  std::vector<RedisReply> elements;

  [[nodiscard]] bool is_nil() const noexcept { return type == Type::nil; }
  [[nodiscard]] bool is_error() const noexcept { return type == Type::error; }
  [[nodiscard]] bool is_array() const noexcept { return type == Type::array; }
  // An error reply whose code (its first word) is `code`, such as "NOSCRIPT".
  [[nodiscard]] bool is_error(std::string_view code) const noexcept;

  // The accessors below throw RedisError when the reply has another type, naming `what`
  // (the command or script) so the message says where the surprise came from.
  [[nodiscard]] std::int64_t as_integer(std::string_view what) const;
  // A bulk string or a status.
  [[nodiscard]] const std::string& as_text(std::string_view what) const;
  // An array of at least `min_size` elements.
  [[nodiscard]] const std::vector<RedisReply>& as_array(std::string_view what,
                                                        std::size_t min_size = 0) const;
  // Throws RedisError when this is an error reply; returns *this otherwise.
  const RedisReply& expect_ok(std::string_view what) const;
};

}  // namespace boxoffice::store::redis
