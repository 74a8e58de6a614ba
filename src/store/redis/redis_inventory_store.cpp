// The C++ side of the Redis inventory: argument encoding, the load-and-retry loop around
// the scripts, best available, and decoding of the scripts' answers.
#include "store/redis/redis_inventory_store.hpp"

#include "common/on_scope_exit.hpp"

#include "common/random.hpp"
#include "domain/best_available.hpp"
#include "domain/seat_set.hpp"
#include "store/hold_id.hpp"
#include "store/redis/inventory_scripts.hpp"
#include "store/store_errors.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <limits>
#include <span>
#include <stdexcept>
#include <utility>

namespace boxoffice::store::redis {
namespace {

using domain::SeatIndex;

// Runs of a script that keep finding the mirror gone (Redis flushed again and again)
// give up rather than loop: the caller gets StoreUnavailable.
constexpr int max_load_attempts = 3;
// Best available tries again when another instance took a chosen seat between the read
// and the claim; after this many conflicts the request answers 503 (come back shortly).
// Each try is one read and one claim, so a generous bound costs little, and a crowd of
// instances on one category should almost never exhaust it.
constexpr int max_best_available_attempts = 10;
// Best-available requests of one category in flight at once in an instance: two, so one
// request's round trips to Redis overlap the next one's choosing.
constexpr std::size_t best_available_width = 2;
// How long a look at a category's free seats answers larger requests at once: as long as
// a snapshot of the seat map is reused for reads (sales::AvailabilityHistoryLimits).
constexpr std::chrono::milliseconds sold_out_hint_ttl{250};
// A loader's ticket: far longer than reading one event's sold seats takes.
constexpr std::chrono::milliseconds loading_ticket_ttl{60'000};
// Batches per event per expire_holds() call: up to 1,000 due holds of one event.
constexpr int max_sweep_rounds = 10;

// Forgets the event's sold-out hints once a change that may free seats has run (or
// thrown: it may have run all the same).
auto forget_hints_of(SoldOutHints& hints, std::string event_id) {
  return [&hints, event_id = std::move(event_id)] { hints.forget(event_id); };
}

std::int64_t floor_ms(TimePoint time) {
  return std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// Deadlines round up, so that a hold is never freed before its instant.
std::int64_t ceil_ms(TimePoint time) {
  return std::chrono::ceil<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::string seat_list(std::span<const SeatIndex> seats) {
  std::string text;
  text.reserve(seats.size() * 6);
  for (const auto seat : seats) {
    if (!text.empty()) {
      text.push_back(',');
    }
    text += std::to_string(seat);
  }
  return text;
}

std::vector<SeatIndex> parse_seats(std::string_view text) {
  std::vector<SeatIndex> seats;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = text.substr(0, comma);
    SeatIndex seat = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), seat);
    if (error != std::errc{} || end != item.data() + item.size()) {
      throw RedisError("redis: malformed seat list in a hold");
    }
    seats.push_back(seat);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return seats;
}

TimePoint parse_ticks(std::string_view text) {
  TimePoint::rep ticks = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ticks);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw RedisError("redis: malformed expiry in a hold");
  }
  return TimePoint{TimePoint::duration{ticks}};
}

// The tag every inventory script answers first.
const std::vector<RedisReply>& parts_of(const RedisReply& reply, std::string_view what,
                                        std::size_t min_size = 1) {
  return reply.expect_ok(what).as_array(what, min_size);
}

const std::string& tag_of(const std::vector<RedisReply>& parts, std::string_view what) {
  return parts.front().as_text(what);
}

[[noreturn]] void unexpected_tag(const std::string& tag, std::string_view what) {
  throw RedisError("redis: " + std::string{what} + " script answered " + tag);
}

bool is_not_loaded(const RedisReply& reply) {
  return reply.is_array() && !reply.elements.empty() &&
         reply.elements.front().type == RedisReply::Type::string &&
         reply.elements.front().text == "NOT_LOADED";
}

void check_seat_count(std::size_t seats) {
  if (seats > scripts::max_seats_per_call) {
    throw std::invalid_argument("a hold may take at most " +
                                std::to_string(scripts::max_seats_per_call) + " seats");
  }
}

void check_hold_request(const HoldRequest& request) {
  // The hold is found later from its id alone; an id without its event would be lost.
  if (event_of_hold(request.hold_id) != request.event_id) {
    throw std::invalid_argument("hold id does not carry its event id (use new_hold_id)");
  }
}

}  // namespace

RedisInventoryStore::RedisInventoryStore(RedisClient& client, const Clock& clock,
                                         SoldSeatsLoader load_sold_seats)
    : client_(client),
      clock_(clock),
      load_sold_seats_(std::move(load_sold_seats)),
      sold_out_hints_(clock, sold_out_hint_ttl) {}

// --- plumbing -----------------------------------------------------------------------------

boost::asio::awaitable<RedisReply> RedisInventoryStore::run(const RedisScript& script,
                                                            const std::string& event_id,
                                                            std::vector<std::string> args) {
  auto prefix = scripts::prefix_of(event_id);
  auto keys = scripts::keys_of(prefix);
  std::vector<std::string> argv;
  argv.reserve(args.size() + 2);
  argv.push_back(std::move(prefix));
  argv.push_back(std::to_string(floor_ms(clock_.now())));
  std::move(args.begin(), args.end(), std::back_inserter(argv));
  co_return co_await client_.eval(script, std::move(keys), std::move(argv),
                                  RedisClient::ServerId::first_arg);
}

boost::asio::awaitable<RedisReply> RedisInventoryStore::run_loaded(const domain::SeatMap& map,
                                                                   const RedisScript& script,
                                                                   const std::string& event_id,
                                                                   std::vector<std::string> args) {
  for (int attempt = 1;; ++attempt) {
    auto attempt_args = args;
    auto reply = co_await run(script, event_id, std::move(attempt_args));
    if (!is_not_loaded(reply)) {
      co_return reply;
    }
    if (attempt == max_load_attempts) {
      break;
    }
    co_await load(map, event_id);
  }
  throw StoreUnavailable("redis: the seats of event " + event_id + " could not be loaded");
}

boost::asio::awaitable<void> RedisInventoryStore::load(const domain::SeatMap& map,
                                                       const std::string& event_id) {
  // A reloaded mirror has no holds: their seats are free again.
  const OnScopeExit freeing{forget_hints_of(sold_out_hints_, event_id)};
  const auto prefix = scripts::prefix_of(event_id);
  const auto ticket = random_hex(16);
  // The ticket goes in before the database is read; see init_script.
  std::vector<std::string> set_ticket{"SET", prefix + "loading:" + ticket, "1", "PX",
                                      std::to_string(loading_ticket_ttl.count())};
  const auto marked = co_await client_.command(std::move(set_ticket));
  marked.expect_ok("SET loading ticket");

  auto reading = load_sold_seats_(event_id);
  const auto sold_ids = co_await std::move(reading);
  std::string status(map.size(), '0');
  std::int64_t sold = 0;
  for (const auto& id : sold_ids) {
    if (const auto index = map.find(id); index && status[*index] != '2') {
      status[*index] = '2';
      ++sold;
    }
  }
  auto keys = scripts::keys_of(prefix);
  std::vector<std::string> args;
  args.reserve(4);
  args.push_back(prefix);
  args.push_back(ticket);
  args.push_back(std::move(status));
  args.push_back(std::to_string(sold));
  const auto reply = co_await client_.eval(scripts::init_script(), std::move(keys), std::move(args),
                                           RedisClient::ServerId::first_arg);
  // LOADED, ALREADY (another instance was first) or STALE (flushed meanwhile): the caller
  // runs its script again in every case.
  reply.expect_ok("inventory load");
}

AsyncGate& RedisInventoryStore::best_available_gate(const std::string& event_id,
                                                    domain::CategoryIndex category) {
  std::scoped_lock lock{gates_mutex_};
  auto& gate = gates_[event_id + '/' + std::to_string(category)];
  if (!gate) {
    gate = std::make_unique<AsyncGate>(best_available_width);
  }
  return *gate;
}

void RedisInventoryStore::remember(const std::string& event_id) {
  std::scoped_lock lock{touched_mutex_};
  touched_[event_id] = ++touches_;
}

void RedisInventoryStore::forget(const std::string& event_id, std::uint64_t generation) {
  std::scoped_lock lock{touched_mutex_};
  if (auto it = touched_.find(event_id); it != touched_.end() && it->second == generation) {
    touched_.erase(it);
  }
}

// --- holds --------------------------------------------------------------------------------

boost::asio::awaitable<HoldOutcome> RedisInventoryStore::claim(
    const domain::SeatMap& map, const HoldRequest& request,
    std::vector<std::vector<SeatIndex>> choices) {
  std::vector<std::string> args{request.hold_id, request.user_id,
                                std::to_string(request.expires_at.time_since_epoch().count()),
                                std::to_string(ceil_ms(request.expires_at))};
  for (const auto& choice : choices) {
    args.push_back(seat_list(choice));
  }
  const auto reply =
      co_await run_loaded(map, scripts::claim_script(), request.event_id, std::move(args));
  const auto& parts = parts_of(reply, "hold", 2);
  const auto& tag = tag_of(parts, "hold");
  HoldOutcome outcome;
  if (tag == "OK") {
    const auto taken = parts[1].as_integer("hold");
    if (taken < 1 || static_cast<std::size_t>(taken) > choices.size()) {
      throw RedisError("redis: hold script took an unknown choice");
    }
    Hold hold{.id = request.hold_id,
              .event_id = request.event_id,
              .user_id = request.user_id,
              .seats = std::move(choices[static_cast<std::size_t>(taken) - 1]),
              .expires_at = request.expires_at,
              .checking_out = false};
    outcome.hold = std::move(hold);
    // The new hold's owner may ask again; their own seats then count as free for them.
    sold_out_hints_.forget(request.event_id);
  } else if (tag == "UNAVAILABLE") {
    for (const auto& seat : parts[1].as_array("hold")) {
      outcome.unavailable.push_back(static_cast<SeatIndex>(seat.as_integer("hold")));
    }
  } else {
    unexpected_tag(tag, "hold");
  }
  co_return outcome;
}

boost::asio::awaitable<HoldOutcome> RedisInventoryStore::hold_seats(const domain::SeatMap& map,
                                                                    HoldRequest request,
                                                                    std::vector<SeatIndex> seats) {
  check_hold_request(request);
  check_seat_count(seats.size());
  remember(request.event_id);
  std::vector<std::vector<SeatIndex>> choices;
  choices.push_back(std::move(seats));
  co_return co_await claim(map, request, std::move(choices));
}

boost::asio::awaitable<bool> RedisInventoryStore::has_hold(const std::string& event_id,
                                                           const std::string& user_id) {
  // The key of the user's current hold (see user_key in inventory_scripts.cpp); it may
  // still name an expired hold, which only costs a refused request the normal path.
  std::vector<std::string> args{"EXISTS", scripts::prefix_of(event_id) + "user:" + user_id};
  const auto reply = co_await client_.command(std::move(args));
  co_return reply.expect_ok("EXISTS user hold").as_integer("EXISTS user hold") == 1;
}

boost::asio::awaitable<HoldOutcome> RedisInventoryStore::hold_best_available(
    const domain::SeatMap& map, HoldRequest request, domain::CategoryIndex category,
    std::int64_t quantity) {
  check_hold_request(request);
  check_seat_count(static_cast<std::size_t>(std::max<std::int64_t>(quantity, 0)));
  HoldOutcome none;
  if (category >= map.categories().size()) {
    co_return none;
  }
  // Only the category's stretch of the status string is read: best available looks at
  // nothing else, and a stadium's other categories need not cross the network.
  SeatIndex first = std::numeric_limits<SeatIndex>::max();
  SeatIndex last = 0;
  for (const auto& run : map.runs(category)) {
    if (run.count > 0) {
      first = std::min(first, run.first);
      last = std::max(last, run.first + run.count - 1);
    }
  }
  if (first > last) {
    co_return none;
  }
  if (sold_out_hints_.refuses(request.event_id, category, quantity)) {
    // A hint counts nobody's own seats, and a user's held seats are free for their next
    // request: only a user without a hold on the event is refused on a hint (one small
    // command instead of the category's turn and a read of its seats).
    const bool may_retake_own_seats = co_await has_hold(request.event_id, request.user_id);
    if (!may_retake_own_seats) {
      co_return none;
    }
  }
  remember(request.event_id);
  auto pass = co_await best_available_gate(request.event_id, category).enter();
  for (int attempt = 0; attempt < max_best_available_attempts; ++attempt) {
    const auto looked_at = clock_.now();
    std::vector<std::string> args{request.user_id, std::to_string(first), std::to_string(last)};
    const auto view =
        co_await run_loaded(map, scripts::view_script(), request.event_id, std::move(args));
    const auto& parts = parts_of(view, "best available", 3);
    if (const auto& tag = tag_of(parts, "best available"); tag != "OK") {
      unexpected_tag(tag, "best available");
    }
    const auto& slice = parts[1].as_text("best available");
    domain::SeatSet free(map.size());
    for (std::size_t offset = 0; offset < slice.size(); ++offset) {
      if (slice[offset] == '0') {
        free.insert(static_cast<SeatIndex>(first + offset));
      }
    }
    std::int64_t free_in_category = 0;
    for (const auto& run : map.runs(category)) {
      for (SeatIndex seat = run.first; seat < run.first + run.count; ++seat) {
        free_in_category += free.contains(seat) ? 1 : 0;
      }
    }
    sold_out_hints_.record(request.event_id, category, free_in_category, looked_at);
    // The user's previous hold gives its seats back in the same step as the claim.
    for (const auto seat : parse_seats(parts[2].as_text("best available"))) {
      free.insert(seat);
    }
    // Each choice is what best available would pick once the choices before it were
    // taken, which is what a serial run would give the next concurrent request.
    std::vector<std::vector<SeatIndex>> choices;
    while (choices.size() < scripts::max_claim_alternatives) {
      auto selection = domain::best_available(map, category, quantity, free);
      if (!selection) {
        break;
      }
      for (const auto seat : selection->seats) {
        free.erase(seat);
      }
      choices.push_back(std::move(selection->seats));
    }
    if (choices.empty()) {
      co_return none;
    }
    auto outcome = co_await claim(map, request, std::move(choices));
    if (outcome.hold) {
      co_return outcome;
    }
  }
  // Seats were free every time, only taken by others between the look and the claim: that
  // is a crowd, not a sell-out. The client is told to come back shortly (503).
  throw StoreUnavailable("best available lost every race for free seats; try again");
}

boost::asio::awaitable<std::optional<Hold>> RedisInventoryStore::find_hold(std::string hold_id) {
  const auto event_id = event_of_hold(hold_id);
  if (!event_id) {
    co_return std::nullopt;
  }
  std::vector<std::string> args{hold_id};
  const auto reply = co_await run(scripts::find_script(), *event_id, std::move(args));
  const auto& parts = parts_of(reply, "find hold");
  const auto& tag = tag_of(parts, "find hold");
  if (tag == "NOT_FOUND") {
    co_return std::nullopt;
  }
  if (tag != "OK" || parts.size() != 5) {
    unexpected_tag(tag, "find hold");
  }
  Hold hold{.id = std::move(hold_id),
            .event_id = *event_id,
            .user_id = parts[1].as_text("find hold"),
            .seats = parse_seats(parts[2].as_text("find hold")),
            .expires_at = parse_ticks(parts[3].as_text("find hold")),
            .checking_out = parts[4].as_integer("find hold") == 1};
  co_return hold;
}

boost::asio::awaitable<bool> RedisInventoryStore::release_hold(std::string hold_id,
                                                               std::string user_id) {
  const auto event_id = event_of_hold(hold_id);
  if (!event_id) {
    co_return false;
  }
  const OnScopeExit freeing{forget_hints_of(sold_out_hints_, *event_id)};
  std::vector<std::string> args{std::move(hold_id), std::move(user_id)};
  const auto reply = co_await run(scripts::release_script(), *event_id, std::move(args));
  co_return reply.expect_ok("release hold").as_integer("release hold") == 1;
}

// --- checkout -----------------------------------------------------------------------------

boost::asio::awaitable<Checkout> RedisInventoryStore::begin_checkout(std::string hold_id,
                                                                     std::string user_id,
                                                                     std::chrono::seconds grace) {
  Checkout checkout;
  const auto event_id = event_of_hold(hold_id);
  if (!event_id) {
    co_return checkout;
  }
  remember(*event_id);
  std::vector<std::string> args{hold_id, user_id, std::to_string(ceil_ms(clock_.now() + grace))};
  const auto reply = co_await run(scripts::begin_checkout_script(), *event_id, std::move(args));
  const auto& parts = parts_of(reply, "begin checkout");
  const auto& tag = tag_of(parts, "begin checkout");
  if (tag == "NOT_FOUND") {
    co_return checkout;
  }
  if (tag == "LOCKED") {
    checkout.result = CheckoutStart::expired;
    co_return checkout;
  }
  if (tag != "OK" || parts.size() != 4) {
    unexpected_tag(tag, "begin checkout");
  }
  Hold hold{.id = std::move(hold_id),
            .event_id = *event_id,
            .user_id = parts[1].as_text("begin checkout"),
            .seats = parse_seats(parts[2].as_text("begin checkout")),
            .expires_at = parse_ticks(parts[3].as_text("begin checkout")),
            .checking_out = true};
  checkout.result = CheckoutStart::started;
  checkout.hold = std::move(hold);
  co_return checkout;
}

boost::asio::awaitable<void> RedisInventoryStore::abort_checkout(std::string hold_id) {
  const auto event_id = event_of_hold(hold_id);
  if (!event_id) {
    co_return;
  }
  const OnScopeExit freeing{forget_hints_of(sold_out_hints_, *event_id)};
  remember(*event_id);
  std::vector<std::string> args{std::move(hold_id)};
  const auto reply = co_await run(scripts::abort_checkout_script(), *event_id, std::move(args));
  parts_of(reply, "abort checkout");
}

boost::asio::awaitable<void> RedisInventoryStore::complete_checkout(const domain::SeatMap& map,
                                                                    Hold hold) {
  check_seat_count(hold.seats.size());
  std::vector<std::string> args{hold.id, seat_list(hold.seats)};
  const auto reply =
      co_await run_loaded(map, scripts::complete_checkout_script(), hold.event_id, std::move(args));
  const auto& parts = parts_of(reply, "complete checkout");
  if (const auto& tag = tag_of(parts, "complete checkout"); tag != "OK") {
    unexpected_tag(tag, "complete checkout");
  }
}

// --- the sold-seat mirror -----------------------------------------------------------------

boost::asio::awaitable<void> RedisInventoryStore::change_seats(
    const domain::SeatMap& map, const RedisScript& script, const std::string& event_id,
    const std::vector<SeatIndex>& seats) {
  // Split so that each script call stays bounded; these changes need not be atomic
  // together, each seat's change is.
  for (std::size_t start = 0; start < seats.size(); start += scripts::max_seats_per_call) {
    const auto count = std::min(scripts::max_seats_per_call, seats.size() - start);
    std::vector<std::string> args{seat_list(std::span{seats}.subspan(start, count))};
    const auto reply = co_await run_loaded(map, script, event_id, std::move(args));
    const auto& parts = parts_of(reply, "seat change");
    if (const auto& tag = tag_of(parts, "seat change"); tag != "OK") {
      unexpected_tag(tag, "seat change");
    }
  }
}

boost::asio::awaitable<void> RedisInventoryStore::mark_sold(const domain::SeatMap& map,
                                                            std::string event_id,
                                                            std::vector<SeatIndex> seats) {
  remember(event_id);
  co_await change_seats(map, scripts::mark_sold_script(), event_id, seats);
}

boost::asio::awaitable<void> RedisInventoryStore::mark_available(const domain::SeatMap& map,
                                                                 std::string event_id,
                                                                 std::vector<SeatIndex> seats) {
  remember(event_id);
  const OnScopeExit freeing{forget_hints_of(sold_out_hints_, event_id)};
  co_await change_seats(map, scripts::mark_available_script(), event_id, seats);
}

// --- reads --------------------------------------------------------------------------------

boost::asio::awaitable<Availability> RedisInventoryStore::availability(const domain::SeatMap& map,
                                                                       std::string event_id) {
  remember(event_id);
  std::vector<std::string> no_args;
  const auto reply =
      co_await run_loaded(map, scripts::availability_script(), event_id, std::move(no_args));
  const auto& parts = parts_of(reply, "availability", 4);
  if (const auto& tag = tag_of(parts, "availability"); tag != "OK") {
    unexpected_tag(tag, "availability");
  }
  const auto& status = parts[1].as_text("availability");
  if (status.size() != map.size()) {
    throw RedisError("redis: event " + event_id + " has " + std::to_string(status.size()) +
                     " seats in Redis, its venue " + std::to_string(map.size()));
  }
  Availability result;
  result.seats.reserve(status.size());
  for (const char byte : status) {
    result.seats.push_back(byte == '2'   ? SeatStatus::sold
                           : byte == '1' ? SeatStatus::held
                                         : SeatStatus::available);
  }
  result.counts.sold = parts[2].as_integer("availability");
  result.counts.held = parts[3].as_integer("availability");
  result.counts.available =
      static_cast<std::int64_t>(status.size()) - result.counts.sold - result.counts.held;
  co_return result;
}

boost::asio::awaitable<SeatCounts> RedisInventoryStore::counts(const domain::SeatMap& map,
                                                               std::string event_id) {
  remember(event_id);
  std::vector<std::string> no_args;
  const auto reply =
      co_await run_loaded(map, scripts::counts_script(), event_id, std::move(no_args));
  const auto& parts = parts_of(reply, "counts", 4);
  if (const auto& tag = tag_of(parts, "counts"); tag != "OK") {
    unexpected_tag(tag, "counts");
  }
  SeatCounts counts;
  counts.sold = parts[2].as_integer("counts");
  counts.held = parts[3].as_integer("counts");
  counts.available = parts[1].as_integer("counts") - counts.sold - counts.held;
  co_return counts;
}

boost::asio::awaitable<void> RedisInventoryStore::expire_holds() {
  // Which events lost holds is not told; expired holds count as free from their expiry on.
  sold_out_hints_.forget_all();
  std::vector<std::pair<std::string, std::uint64_t>> events;
  {
    std::scoped_lock lock{touched_mutex_};
    events.assign(touched_.begin(), touched_.end());
  }
  for (const auto& [event_id, generation] : events) {
    for (int round = 0; round < max_sweep_rounds; ++round) {
      std::vector<std::string> no_args;
      const auto reply = co_await run(scripts::expire_script(), event_id, std::move(no_args));
      const auto& parts = parts_of(reply, "expire holds", 2);
      const auto still_due = parts[0].as_integer("expire holds");
      const auto live = parts[1].as_integer("expire holds");
      if (live == 0) {
        // Nothing left to sweep; a later touch brings the event back.
        forget(event_id, generation);
      }
      if (still_due == 0) {
        break;
      }
    }
  }
}

}  // namespace boxoffice::store::redis
