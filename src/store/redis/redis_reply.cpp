// Typed access to replies, with errors that name the command that surprised us.
#include "store/redis/redis_reply.hpp"

namespace boxoffice::store::redis {
namespace {

std::string_view type_name(RedisReply::Type type) {
  switch (type) {
    case RedisReply::Type::nil:
      return "nil";
    case RedisReply::Type::integer:
      return "an integer";
    case RedisReply::Type::string:
      return "a string";
    case RedisReply::Type::status:
      return "a status";
    case RedisReply::Type::error:
      return "an error";
    case RedisReply::Type::array:
      return "an array";
  }
  return "an unknown reply";
}

[[noreturn]] void unexpected(const RedisReply& reply, std::string_view what,
                             std::string_view wanted) {
  std::string message = "redis: " + std::string{what} + " answered " +
                        std::string{type_name(reply.type)} + " where " + std::string{wanted} +
                        " was expected";
  if (reply.is_error()) {
    message += ": " + reply.text;
  }
  throw RedisError(message);
}

}  // namespace

bool RedisReply::is_error(std::string_view code) const noexcept {
  if (type != Type::error) {
    return false;
  }
  const std::string_view message = text;
  return message.starts_with(code) &&
         (message.size() == code.size() || message[code.size()] == ' ');
}

std::int64_t RedisReply::as_integer(std::string_view what) const {
  if (type != Type::integer) {
    unexpected(*this, what, "an integer");
  }
  return integer;
}

const std::string& RedisReply::as_text(std::string_view what) const {
  if (type != Type::string && type != Type::status) {
    unexpected(*this, what, "a string");
  }
  return text;
}

const std::vector<RedisReply>& RedisReply::as_array(std::string_view what,
                                                    std::size_t min_size) const {
  if (type != Type::array) {
    unexpected(*this, what, "an array");
  }
  if (elements.size() < min_size) {
    throw RedisError("redis: " + std::string{what} + " answered an array of " +
                     std::to_string(elements.size()) + " elements where at least " +
                     std::to_string(min_size) + " were expected");
  }
  return elements;
}

const RedisReply& RedisReply::expect_ok(std::string_view what) const {
  if (type == Type::error) {
    throw RedisError("redis: " + std::string{what} + " failed: " + text);
  }
  return *this;
}

}  // namespace boxoffice::store::redis
