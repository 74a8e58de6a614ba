// Pipelined connections to Redis, shared by the session store, the rate limiter and the
// inventory store: one per event loop of the server, and one for every other caller.
//
// hiredis's asynchronous API runs on Asio: a connection's socket is watched with
// stream_descriptor waits, and every hiredis call of a connection happens on its one
// thread, so hiredis needs no locking. Callers on any executor co_await command(); the
// request goes to a connection, is appended to its output buffer behind whatever other
// coroutines sent, and the reply resumes the caller on its own executor. Many concurrent
// callers therefore share one socket and one write per batch (pipelining) without waiting
// for each other's round trips.
//
// The connection for every other caller runs on a private thread: the application builds
// its stores before the server's event loops exist and calls them from run_sync on
// throwaway io_contexts, so it must not belong to any caller's io_context. Once the loops
// exist, attach_event_loops() gives each its own connection, and a coroutine on a loop
// uses that loop's: a command then never crosses to another thread and back, which under
// an on-sale rush cost more than the command itself (a thread wake-up each way).
//
// Failures never make a caller wait long: a command not answered within command_timeout,
// or issued while the connection is down, throws StoreUnavailable. A lost connection is
// re-established in the background with exponential backoff (reconnect_delay_min doubling
// up to reconnect_delay_max); a command that times out tears the connection down, since
// every reply queued behind the stuck one is as late.
#pragma once

#include "store/redis/redis_reply.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace boxoffice::store::redis {

struct RedisOptions {
  // redis://[USER:PASSWORD@]HOST[:PORT][/DB]; see redis_url.hpp.
  std::string url;
  std::chrono::milliseconds command_timeout{2000};
  // Resolving, TCP connect and the AUTH/SELECT/PING handshake together.
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds reconnect_delay_min{50};
  std::chrono::milliseconds reconnect_delay_max{2000};
  // Commands sent and not yet answered; beyond it a command fails at once rather than
  // queueing memory without bound behind a slow server.
  std::size_t max_in_flight = 100'000;
  // Told about connections lost and regained (on the Redis thread; must not block).
  std::function<void(const std::string& message)> log{};
};

// A Lua script, loaded into Redis once and then run by its SHA1 with EVALSHA. Scripts are
// long-lived (static or members of a store) and shared by every coroutine.
class RedisScript {
 public:
  explicit RedisScript(std::string source) : source_(std::move(source)) {}
  RedisScript(const RedisScript&) = delete;
  RedisScript& operator=(const RedisScript&) = delete;

  [[nodiscard]] const std::string& source() const noexcept { return source_; }

 private:
  friend class RedisClient;
  [[nodiscard]] std::string sha() const;
  void remember_sha(std::string sha) const;

  std::string source_;
  mutable std::mutex mutex_;
  mutable std::string sha_;
};

class RedisClient {
 public:
  // Parses the URL (std::invalid_argument when it is malformed) and starts connecting in
  // the background; commands issued before the connection is up wait for it, within
  // their timeout.
  explicit RedisClient(RedisOptions options);
  // Fails the commands still in flight with StoreUnavailable, closes the connection and
  // joins the Redis thread. No command may be issued during or after destruction.
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends one command (its arguments binary-safe) and returns Redis's reply, error replies
  // included. Throws StoreUnavailable when Redis cannot answer in time (not connected,
  // timeout, too many commands in flight, or a server that is loading, busy or refusing
  // us with NOAUTH/READONLY/MASTERDOWN).
  boost::asio::awaitable<RedisReply> command(std::vector<std::string> args);

  // PING; throws StoreUnavailable like command().
  boost::asio::awaitable<void> ping();

  // Whether a script's first argument is the run_id of the server that runs it.
  enum class ServerId { omit, first_arg };

  // Runs a script with EVALSHA, loading it first if this process has not yet, and again
  // (EVAL, which also caches it) when Redis answers NOSCRIPT after a restart or a SCRIPT
  // FLUSH. The script must outlive the call. Error replies are returned, not thrown.
  //
  // With ServerId::first_arg, ARGV[1] is the run_id of the server the command is written
  // to (empty if it would not tell), filled in on the Redis thread at that moment; `args`
  // become ARGV[2...]. A restart gives a server a new run_id, so a script can tell data
  // that a persistent server reloaded after a restart (possibly missing the last writes
  // before it stopped) from data it has kept since it started.
  boost::asio::awaitable<RedisReply> eval(const RedisScript& script, std::vector<std::string> keys,
                                          std::vector<std::string> args,
                                          ServerId server_id = ServerId::omit);

  // Whether the connection is up and has answered its handshake; for readiness checks.
  [[nodiscard]] bool connected() const noexcept;

  // Gives each loop a connection of its own, used by the coroutines that run on it. Each
  // loop must be run by one thread. Call before the loops run, and detach_event_loops()
  // once they have stopped for good and before they are destroyed: the connections
  // belong to the loops' io_contexts, and nothing else may run them while they close.
  void attach_event_loops(const std::vector<boost::asio::io_context*>& loops);
  void detach_event_loops();

 private:
  class Impl;
  Impl& connection_for(const boost::asio::any_io_executor& executor);

  // command(), with args[server_id_at] (when not 0) replaced by the server's run_id.
  boost::asio::awaitable<RedisReply> command_with_server_id(std::vector<std::string> args,
                                                            std::size_t server_id_at);

  RedisOptions options_;
  std::unique_ptr<Impl> impl_;
  std::vector<std::pair<const boost::asio::execution_context*, std::unique_ptr<Impl>>>
      loop_connections_;
};

}  // namespace boxoffice::store::redis
