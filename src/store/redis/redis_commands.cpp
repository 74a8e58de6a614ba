// Commands built on RedisClient::command(): PING, and Lua scripts run by SHA1. Kept apart
// from the connection machinery in redis_client.cpp.
#include "store/redis/redis_client.hpp"

namespace boxoffice::store::redis {
namespace {

std::vector<std::string> script_call(std::string verb, std::string script,
                                     const std::vector<std::string>& keys,
                                     const std::vector<std::string>& args) {
  std::vector<std::string> call;
  call.reserve(3 + keys.size() + args.size());
  call.push_back(std::move(verb));
  call.push_back(std::move(script));
  call.push_back(std::to_string(keys.size()));
  call.insert(call.end(), keys.begin(), keys.end());
  call.insert(call.end(), args.begin(), args.end());
  return call;
}

}  // namespace

std::string RedisScript::sha() const {
  std::scoped_lock lock{mutex_};
  return sha_;
}

void RedisScript::remember_sha(std::string sha) const {
  std::scoped_lock lock{mutex_};
  sha_ = std::move(sha);
}

boost::asio::awaitable<void> RedisClient::ping() {
  std::vector<std::string> args{"PING"};
  const auto reply = co_await command(std::move(args));
  reply.expect_ok("PING");
}

boost::asio::awaitable<RedisReply> RedisClient::eval(const RedisScript& script,
                                                     std::vector<std::string> keys,
                                                     std::vector<std::string> args,
                                                     ServerId server_id) {
  // EVALSHA sha numkeys KEYS... ARGV...: where ARGV[1] sits in the command.
  std::size_t server_id_at = 0;
  if (server_id == ServerId::first_arg) {
    args.insert(args.begin(), std::string{});
    server_id_at = 3 + keys.size();
  }
  auto sha = script.sha();
  if (sha.empty()) {
    std::vector<std::string> load{"SCRIPT", "LOAD", script.source()};
    const auto loaded = co_await command(std::move(load));
    sha = loaded.expect_ok("SCRIPT LOAD").as_text("SCRIPT LOAD");
    script.remember_sha(sha);
  }
  auto call = script_call("EVALSHA", sha, keys, args);
  auto reply = co_await command_with_server_id(std::move(call), server_id_at);
  if (!reply.is_error("NOSCRIPT")) {
    co_return reply;
  }
  // Redis restarted or its script cache was flushed. EVAL runs the script and caches it
  // again, so the next EVALSHA finds it.
  auto again = script_call("EVAL", script.source(), keys, args);
  co_return co_await command_with_server_id(std::move(again), server_id_at);
}

}  // namespace boxoffice::store::redis
