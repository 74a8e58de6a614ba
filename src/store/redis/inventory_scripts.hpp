// The Lua scripts that make every change to an event's seats one atomic step in Redis.
//
// Keys of event E, all under the hash tag {ev:E} so that Redis Cluster keeps an event on
// one shard and no script ever touches two events:
//   {ev:E}:loaded       the run_id of the server on which the sold seats were loaded
//                       from the database
//   {ev:E}:status       one byte per seat index: '0' available, '1' held, '2' sold
//   {ev:E}:counts       hash: sold, held (available = seats - sold - held)
//   {ev:E}:owner        hash: seat index -> the hold that holds it
//   {ev:E}:deadlines    sorted set: hold id -> when it must be freed (ms since the epoch)
//   {ev:E}:hold:H       hash: user, seats (comma-separated indexes), expires_at (the
//                       TimePoint's ticks, returned unchanged), expires_ms, checking_out,
//                       locked_ms (when a checkout lock runs out)
//   {ev:E}:user:U       the user's latest hold on the event
//   {ev:E}:loading:T    a loader's ticket while it reads the database (see init_script)
//
// Every script takes the same first arguments: KEYS = keys_of(E) (loaded, status, counts,
// deadlines, owner; the hold, user and loading keys are derived from the prefix and share
// the slot), ARGV[1] = the run_id of the server running it (filled in by RedisClient as
// the command is written), ARGV[2] = the key prefix "{ev:E}:", ARGV[3] = now in ms from the
// injected Clock (never Redis's TIME, so tests move time; init_script takes a ticket
// instead), then the script's own arguments, listed below from ARGV[4].
//
// Scripts that read or change seats answer NOT_LOADED unless `loaded` names the server
// running them: on a fresh or flushed Redis (no `loaded`), and on a server restarted from
// its persistence files (another run_id), whose reloaded data may miss the last sales
// mirrored before it stopped. The store then rebuilds the mirror from the database. Scripts
// reached by a hold id only need the holds, so they accept any `loaded` and answer as if
// the hold did not exist when there is none (a flush removes holds too).
//
// Bounds: a script's work is proportional to the seats it is given (at most
// max_seats_per_call per list, max_claim_alternatives lists) plus at most expire_batch
// due holds of at most that many seats each; none walks a whole venue. The exceptions
// read or write the status string in one command (GET/SET of up to one byte per seat)
// and init_script, which runs once per event per server start or flush.
//
// Persistence: holds live only in Redis. With AOF at everysec, a crash of Redis may lose
// up to a second of hold changes; sold seats are never lost, since the database is the
// record and every restart or flush of Redis rebuilds the mirror from it. Redis must run with
// maxmemory-policy noeviction: an evicted status or owner key would be a silent hole.
#pragma once

#include "store/redis/redis_client.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace boxoffice::store::redis::scripts {

// Seats one list of a script call may name; larger holds are refused, larger mark_sold and
// mark_available calls are split.
inline constexpr std::size_t max_seats_per_call = 1000;
// Seat lists one best-available claim offers (see claim_script).
inline constexpr std::size_t max_claim_alternatives = 8;
// Due holds one call frees at most; the rest go on the next call or sweep.
inline constexpr int expire_batch = 100;

[[nodiscard]] std::string prefix_of(const std::string& event_id);
[[nodiscard]] std::vector<std::string> keys_of(const std::string& prefix);

// ARGV[2..]: prefix, loading ticket, the status string (one byte per seat: sold or not,
// from the database), the number of sold seats. Writes the mirror and sets `loaded` to
// this server's run_id, unless `loaded` already names it (ALREADY) or the ticket is gone
// (STALE). The ticket is set before the database is read; a FLUSHALL in between deletes
// it, so a snapshot older than a flush (which may miss sales mirrored before the flush) is
// refused. On a restarted server, holds that survived in its persistence files keep the
// seats the database has not sold. Answers LOADED, ALREADY or STALE. Runs once per event
// per server start or flush; O(seats) for the SET and O(held seats) for the holds.
const RedisScript& init_script();

// ARGV[4..]: hold id, user, expires_at ticks, expires_ms, then one or more seat lists in
// order of preference. All or nothing: the first list whose seats are all available, or
// held by the user's live previous hold (not checking out), or held by a hold past its
// deadline (freed on the spot), is taken; the previous hold is released in the same step.
// Answers OK and the 1-based number of the list taken, or UNAVAILABLE with the seats the
// first list could not have (changing nothing but expiry). Several lists let concurrent
// best-available requests that read the same snapshot land on different seats instead of
// all retrying for the same ones.
const RedisScript& claim_script();

// ARGV[4..]: user, first seat, last seat. Answers OK, the status bytes of seats first..last,
// and the seats of the user's live previous hold that a new hold may reuse ("" if none).
const RedisScript& view_script();

// ARGV[4]: hold id. Answers OK, user, seats, expires_at ticks, checking_out (0 or 1);
// or NOT_FOUND.
const RedisScript& find_script();

// ARGV[4..]: hold id, user. Answers 1 when the user's live hold was released, else 0.
const RedisScript& release_script();

// ARGV[4..]: hold id, user, locked_ms. Answers OK, user, seats, expires_at ticks; or
// NOT_FOUND; or LOCKED when a checkout already holds it.
const RedisScript& begin_checkout_script();

// ARGV[4]: hold id. Unlocks the hold, back on its original expiry (and frees it if that
// has passed). Answers OK.
const RedisScript& abort_checkout_script();

// ARGV[4..]: hold id, seats. Drops the hold (its seats sold) and marks the given seats
// sold whatever their state, so a sale is mirrored even if the hold was lost.
const RedisScript& complete_checkout_script();

// ARGV[4]: seats. Sold whatever their state.
const RedisScript& mark_sold_script();
// ARGV[4]: seats. Sold seats become available; others are left alone.
const RedisScript& mark_available_script();

// Answers OK, the status string, sold, held.
const RedisScript& availability_script();
// Answers OK, seats, sold, held.
const RedisScript& counts_script();

// Answers holds still due after this call's batch, and live holds left (0 when the event
// needs no more sweeping).
const RedisScript& expire_script();

}  // namespace boxoffice::store::redis::scripts
