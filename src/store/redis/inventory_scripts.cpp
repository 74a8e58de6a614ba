// The inventory's Lua sources. Each script is a shared prelude (key names, seat status
// helpers, hold expiry), its own `main`, and a postlude that applies the count changes.
// Scripts are not rolled back on a Lua error, so they avoid failing half way: every
// redis.call below works on keys whose types only these scripts set.
#include "store/redis/inventory_scripts.hpp"

namespace boxoffice::store::redis::scripts {
namespace {

// Count changes are gathered in held_delta/sold_delta and written once (flush_counts)
// rather than per seat.
constexpr const char* prelude = R"lua(
local loaded_key, status_key, counts_key, deadlines_key, owner_key =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local server_id = ARGV[1]
local prefix = ARGV[2]
local now = tonumber(ARGV[3])
local expire_batch = tonumber('@EXPIRE_BATCH@')

local held_delta, sold_delta = 0, 0

local function hold_key(id) return prefix .. 'hold:' .. id end
local function user_key(user) return prefix .. 'user:' .. user end
-- The mirror of sold seats was built on this very server. A server restarted from its
-- persistence files has a new run_id: what it reloaded may miss the last sales mirrored
-- before it stopped, so the mirror is rebuilt from the database.
local function is_current() return redis.call('GET', loaded_key) == server_id end
-- Some mirror, current or not: enough for scripts that only look at holds, not at seats.
local function has_mirror() return redis.call('EXISTS', loaded_key) == 1 end

-- '' for an index beyond the venue.
local function status_of(seat) return redis.call('GETRANGE', status_key, seat, seat) end

local function set_status(seat, to)
  local from = status_of(seat)
  if from == '' or from == to then return end
  redis.call('SETRANGE', status_key, seat, to)
  if from == '1' then held_delta = held_delta - 1 elseif from == '2' then sold_delta = sold_delta - 1 end
  if to == '1' then held_delta = held_delta + 1 elseif to == '2' then sold_delta = sold_delta + 1 end
end

local function flush_counts()
  if held_delta ~= 0 then redis.call('HINCRBY', counts_key, 'held', held_delta) end
  if sold_delta ~= 0 then redis.call('HINCRBY', counts_key, 'sold', sold_delta) end
  held_delta, sold_delta = 0, 0
end

local function seats_of(list)
  local seats = {}
  for seat in string.gmatch(list, '%d+') do seats[#seats + 1] = tonumber(seat) end
  return seats
end

local function read_hold(id)
  local f = redis.call('HMGET', hold_key(id), 'user', 'seats', 'expires_at', 'expires_ms',
                       'checking_out', 'locked_ms')
  if not f[1] then return nil end
  local hold = {id = id, user = f[1], seats = f[2], expires_at = f[3],
                expires_ms = tonumber(f[4]), checking_out = f[5] == '1',
                locked_ms = tonumber(f[6])}
  -- A checkout lock replaces the expiry while it lasts, as in the in-process store.
  if hold.checking_out then hold.deadline = hold.locked_ms else hold.deadline = hold.expires_ms end
  return hold
end

-- Frees a hold. Only the seats it still owns change, to `to` ('0' or '2'): a seat that
-- was sold or re-held meanwhile is someone else's now.
local function drop_hold(hold, to)
  for _, seat in ipairs(seats_of(hold.seats)) do
    if redis.call('HGET', owner_key, seat) == hold.id then
      redis.call('HDEL', owner_key, seat)
      if status_of(seat) == '1' then set_status(seat, to) end
    end
  end
  if redis.call('GET', user_key(hold.user)) == hold.id then redis.call('DEL', user_key(hold.user)) end
  redis.call('DEL', hold_key(hold.id))
  redis.call('ZREM', deadlines_key, hold.id)
end

-- The hold if it is live; one past its deadline is freed on the way, so an answer never
-- depends on whether a sweep has run.
local function live_hold(id)
  local hold = read_hold(id)
  if not hold then return nil end
  if hold.deadline <= now then
    drop_hold(hold, '0')
    return nil
  end
  return hold
end

local function expire_due()
  local due = redis.call('ZRANGEBYSCORE', deadlines_key, '-inf', now, 'LIMIT', 0, expire_batch)
  for _, id in ipairs(due) do
    local hold = live_hold(id)
    if hold then
      redis.call('ZADD', deadlines_key, hold.deadline, id)
    else
      redis.call('ZREM', deadlines_key, id)
    end
  end
end

-- The user's live hold that a new hold may replace and reuse the seats of.
local function replaceable_hold(user)
  local id = redis.call('GET', user_key(user))
  if not id then return nil end
  local hold = live_hold(id)
  if hold and not hold.checking_out then return hold end
  return nil
end
)lua";

constexpr const char* postlude = R"lua(
local result = main()
flush_counts()
return result
)lua";

std::string with_expire_batch(std::string text) {
  const std::string marker = "@EXPIRE_BATCH@";
  text.replace(text.find(marker), marker.size(), std::to_string(expire_batch));
  return text;
}

std::string compose(const char* body) {
  return with_expire_batch(prelude) + body + postlude;
}

}  // namespace

std::string prefix_of(const std::string& event_id) {
  return "{ev:" + event_id + "}:";
}

std::vector<std::string> keys_of(const std::string& prefix) {
  return {prefix + "loaded", prefix + "status", prefix + "counts", prefix + "deadlines",
          prefix + "owner"};
}

const RedisScript& init_script() {
  static const RedisScript script{R"lua(
local loaded_key, status_key, counts_key, deadlines_key, owner_key =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local server_id, prefix, ticket, status, sold = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local previous = redis.call('GET', loaded_key)
if previous == server_id then return 'ALREADY' end
if redis.call('DEL', prefix .. 'loading:' .. ticket) == 0 then return 'STALE' end
redis.call('SET', status_key, status)
local held = 0
if previous then
  -- A restarted server that kept its holds: put back the seats of holds that still
  -- exist, unless the database says they are sold.
  local owners = redis.call('HGETALL', owner_key)
  for i = 1, #owners, 2 do
    local seat = tonumber(owners[i])
    if redis.call('EXISTS', prefix .. 'hold:' .. owners[i + 1]) == 1 and
       redis.call('GETRANGE', status_key, seat, seat) == '0' then
      redis.call('SETRANGE', status_key, seat, '1')
      held = held + 1
    else
      redis.call('HDEL', owner_key, owners[i])
    end
  end
else
  -- Without `loaded` nothing else of the event can be trusted.
  redis.call('DEL', deadlines_key, owner_key)
end
redis.call('HSET', counts_key, 'sold', sold, 'held', held)
redis.call('SET', loaded_key, server_id)
return 'LOADED'
)lua"};
  return script;
}

const RedisScript& claim_script() {
  static const RedisScript script{compose(R"lua(
local id, user, expires_at, expires_ms = ARGV[4], ARGV[5], ARGV[6], ARGV[7]

-- The seats of `seats` that this hold may not take.
local function refused(seats, previous, size)
  local unavailable = {}
  for _, seat in ipairs(seats) do
    local free = false
    if seat < size then
      local status = status_of(seat)
      if status == '0' then
        free = true
      elseif status == '1' then
        local owner = redis.call('HGET', owner_key, seat)
        if previous and owner == previous.id then
          free = true
        else
          free = (not owner) or (live_hold(owner) == nil)
        end
      end
    end
    if not free then unavailable[#unavailable + 1] = seat end
  end
  return unavailable
end

local function take(seats, seat_list, previous)
  if previous then drop_hold(previous, '0') end
  for _, seat in ipairs(seats) do
    set_status(seat, '1')
    redis.call('HSET', owner_key, seat, id)
  end
  redis.call('HSET', hold_key(id), 'user', user, 'seats', seat_list, 'expires_at', expires_at,
             'expires_ms', expires_ms, 'checking_out', '0', 'locked_ms', '0')
  redis.call('SET', user_key(user), id)
  redis.call('ZADD', deadlines_key, expires_ms, id)
end

local function main()
  if not is_current() then return {'NOT_LOADED'} end
  expire_due()
  local previous = replaceable_hold(user)
  local size = redis.call('STRLEN', status_key)
  local first_refusal = nil
  for n = 8, #ARGV do
    local seats = seats_of(ARGV[n])
    local unavailable = refused(seats, previous, size)
    if #unavailable == 0 then
      take(seats, ARGV[n], previous)
      return {'OK', n - 7}
    end
    first_refusal = first_refusal or unavailable
  end
  return {'UNAVAILABLE', first_refusal}
end
)lua")};
  return script;
}

const RedisScript& view_script() {
  static const RedisScript script{compose(R"lua(
local function main()
  if not is_current() then return {'NOT_LOADED'} end
  expire_due()
  local previous = replaceable_hold(ARGV[4])
  local reusable = ''
  if previous then reusable = previous.seats end
  return {'OK', redis.call('GETRANGE', status_key, ARGV[5], ARGV[6]), reusable}
end
)lua")};
  return script;
}

const RedisScript& find_script() {
  static const RedisScript script{compose(R"lua(
local function main()
  if not has_mirror() then return {'NOT_FOUND'} end
  expire_due()
  local hold = live_hold(ARGV[4])
  if not hold then return {'NOT_FOUND'} end
  local checking_out = 0
  if hold.checking_out then checking_out = 1 end
  return {'OK', hold.user, hold.seats, hold.expires_at, checking_out}
end
)lua")};
  return script;
}

const RedisScript& release_script() {
  static const RedisScript script{compose(R"lua(
local function main()
  if not has_mirror() then return 0 end
  expire_due()
  local hold = live_hold(ARGV[4])
  if not hold or hold.user ~= ARGV[5] or hold.checking_out then return 0 end
  drop_hold(hold, '0')
  return 1
end
)lua")};
  return script;
}

const RedisScript& begin_checkout_script() {
  static const RedisScript script{compose(R"lua(
local function main()
  if not has_mirror() then return {'NOT_FOUND'} end
  expire_due()
  local hold = live_hold(ARGV[4])
  if not hold or hold.user ~= ARGV[5] then return {'NOT_FOUND'} end
  if hold.checking_out then return {'LOCKED'} end
  redis.call('HSET', hold_key(hold.id), 'checking_out', '1', 'locked_ms', ARGV[6])
  redis.call('ZADD', deadlines_key, ARGV[6], hold.id)
  return {'OK', hold.user, hold.seats, hold.expires_at}
end
)lua")};
  return script;
}

const RedisScript& abort_checkout_script() {
  static const RedisScript script{compose(R"lua(
local function main()
  if not has_mirror() then return {'OK'} end
  local hold = read_hold(ARGV[4])
  if hold then
    redis.call('HSET', hold_key(hold.id), 'checking_out', '0')
    redis.call('ZADD', deadlines_key, hold.expires_ms, hold.id)
    live_hold(hold.id)
  end
  expire_due()
  return {'OK'}
end
)lua")};
  return script;
}

const RedisScript& complete_checkout_script() {
  static const RedisScript script{compose(R"lua(
local function main()
  if not is_current() then return {'NOT_LOADED'} end
  local hold = read_hold(ARGV[4])
  if hold then drop_hold(hold, '2') end
  for _, seat in ipairs(seats_of(ARGV[5])) do
    set_status(seat, '2')
    redis.call('HDEL', owner_key, seat)
  end
  expire_due()
  return {'OK'}
end
)lua")};
  return script;
}

const RedisScript& mark_sold_script() {
  static const RedisScript script{compose(R"lua(
local function main()
  if not is_current() then return {'NOT_LOADED'} end
  expire_due()
  for _, seat in ipairs(seats_of(ARGV[4])) do
    set_status(seat, '2')
    redis.call('HDEL', owner_key, seat)
  end
  return {'OK'}
end
)lua")};
  return script;
}

const RedisScript& mark_available_script() {
  static const RedisScript script{compose(R"lua(
local function main()
  if not is_current() then return {'NOT_LOADED'} end
  expire_due()
  for _, seat in ipairs(seats_of(ARGV[4])) do
    if status_of(seat) == '2' then set_status(seat, '0') end
  end
  return {'OK'}
end
)lua")};
  return script;
}

const RedisScript& availability_script() {
  static const RedisScript script{compose(R"lua(
local function main()
  if not is_current() then return {'NOT_LOADED'} end
  expire_due()
  flush_counts()
  local counts = redis.call('HMGET', counts_key, 'sold', 'held')
  return {'OK', redis.call('GET', status_key), tonumber(counts[1]) or 0, tonumber(counts[2]) or 0}
end
)lua")};
  return script;
}

const RedisScript& counts_script() {
  static const RedisScript script{compose(R"lua(
local function main()
  if not is_current() then return {'NOT_LOADED'} end
  expire_due()
  flush_counts()
  local counts = redis.call('HMGET', counts_key, 'sold', 'held')
  return {'OK', redis.call('STRLEN', status_key), tonumber(counts[1]) or 0,
          tonumber(counts[2]) or 0}
end
)lua")};
  return script;
}

const RedisScript& expire_script() {
  static const RedisScript script{compose(R"lua(
local function main()
  if not has_mirror() then return {0, 0} end
  expire_due()
  return {redis.call('ZCOUNT', deadlines_key, '-inf', now), redis.call('ZCARD', deadlines_key)}
end
)lua")};
  return script;
}

}  // namespace boxoffice::store::redis::scripts
