// The contract of store::Database and its repositories, written once and run on every backend
// listed in database_backends(): migrations, users, venues and events, and above all the order
// rules that keep a sale from being lost or a seat from being sold twice (idempotency records,
// all-or-nothing confirmation, one live ticket per seat, refunds and check-in). Each test gets
// a database of its own in a fresh temporary folder.
#include "store/database.hpp"

#include "common/run_sync.hpp"
#include "common/time_format.hpp"
#include "database_backends.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <variant>
#include <vector>

namespace boxoffice::store {
namespace {

using Ids = std::vector<std::string>;

using test_support::DatabaseBackend;
using test_support::TempFolder;

// Enough connections that the race below really runs transactions side by side.
constexpr std::size_t database_connections = 4;

std::vector<DatabaseBackend> database_backends() {
  return test_support::database_backends(database_connections);
}

// Whole seconds: the contract's timestamps have no finer precision.
TimePoint at(std::int64_t seconds) {
  return from_unix_seconds(1'750'000'000 + seconds);
}

std::int64_t seconds_of(TimePoint time) {
  return to_unix_seconds(time) - 1'750'000'000;
}

std::optional<std::int64_t> seconds_of(const std::optional<TimePoint>& time) {
  if (!time) {
    return std::nullopt;
  }
  return seconds_of(*time);
}

Ids order_ids(const std::vector<OrderRecord>& orders) {
  Ids ids;
  for (const auto& order : orders) {
    ids.push_back(order.id);
  }
  return ids;
}

Ids sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::tuple<std::int64_t, std::int64_t, std::int64_t> tally(const SalesTotals& totals) {
  return {totals.orders, totals.revenue, totals.tickets};
}

class OrderRepositoryTest : public testing::TestWithParam<DatabaseBackend> {
 protected:
  static constexpr std::int64_t seat_price = 5'000;
  static constexpr const char* event_id = "ev-1";
  static constexpr const char* other_event_id = "ev-2";

  void SetUp() override {
    db_ = GetParam().make(folder_);
    if (!db_) {
      GTEST_SKIP() << GetParam().name << " is not available here";
    }
    db_->migrate();
    ASSERT_EQ(create_user("u-ann", "ann@example.com"), CreateUserResult::created);
    ASSERT_EQ(create_user("u-bob", "bob@example.com"), CreateUserResult::created);
    auto venue = venue_record("v-1");
    run_sync(db_->catalog().create_venue(std::move(venue)));
    auto event = event_record(event_id, at(90'000));
    run_sync(db_->catalog().create_event(std::move(event)));
    auto other = event_record(other_event_id, at(80'000));
    run_sync(db_->catalog().create_event(std::move(other)));
  }

  UserRepository& users() { return db_->users(); }
  CatalogRepository& catalog() { return db_->catalog(); }
  OrderRepository& orders() { return db_->orders(); }

  static User user_record(const std::string& id, const std::string& email) {
    return User{.id = id,
                .email = email,
                .name = "Name of " + id,
                .role = Role::customer,
                .password_hash = "$argon2id$hash-of-" + id,
                .created_at = at(1)};
  }

  CreateUserResult create_user(const std::string& id, const std::string& email) {
    auto user = user_record(id, email);
    return run_sync(users().create(std::move(user)));
  }

  static VenueRecord venue_record(const std::string& id) {
    return VenueRecord{
        .id = id,
        .name = "Hall " + id,
        .layout_json =
            R"({"sections":[{"name":"Stalls","category":"standard","rows":[{"label":"A","seats":10}]}],"areas":[]})",
        .capacity = 10,
        .created_at = at(2)};
  }

  static EventRecord event_record(const std::string& id, TimePoint starts_at) {
    return EventRecord{.id = id,
                       .venue_id = "v-1",
                       .title = "Title of " + id,
                       .artist = "Artist of " + id,
                       .starts_at = starts_at,
                       .sale_starts_at = at(3),
                       .status = "on_sale",
                       .currency = "EUR",
                       .prices_json = R"({"standard":5000})",
                       .max_tickets_per_order = 6,
                       .hold_seconds = 420,
                       .poster_json = std::nullopt,
                       .created_at = at(4)};
  }

  static OrderRecord order_record(const std::string& id, const std::string& user, const Ids& seats,
                                  std::int64_t created, const std::string& event = event_id) {
    return OrderRecord{.id = id,
                       .user_id = user,
                       .event_id = event,
                       .hold_id = "hold-of-" + id,
                       .status = "pending",
                       .total = seat_price * static_cast<std::int64_t>(seats.size()),
                       .currency = "EUR",
                       .seat_ids = seats,
                       .idempotency_key = "key-of-" + id,
                       .created_at = at(created),
                       .tickets = {}};
  }

  static IdempotencyRecord key_record(const OrderRecord& order,
                                      const std::string& request_hash = "hash-1") {
    return IdempotencyRecord{.user_id = order.user_id,
                             .key = order.idempotency_key,
                             .request_hash = request_hash,
                             .order_id = order.id,
                             .done = false,
                             .status_code = 0,
                             .response_body = {}};
  }

  BeginOrderResult begin(OrderRecord order, const std::string& request_hash = "hash-1") {
    auto idempotency = key_record(order, request_hash);
    return run_sync(orders().begin_order(std::move(idempotency), std::move(order)));
  }

  // A pending order, or a test failure when its key was already taken.
  OrderRecord start(const std::string& id, const std::string& user, const Ids& seats,
                    std::int64_t created, const std::string& event = event_id) {
    auto order = order_record(id, user, seats, created, event);
    const auto begun = begin(order);
    EXPECT_TRUE(std::holds_alternative<OrderStarted>(begun)) << id;
    return order;
  }

  static std::vector<TicketRecord> tickets_for(const OrderRecord& order) {
    std::vector<TicketRecord> tickets;
    for (const auto& seat : order.seat_ids) {
      tickets.push_back(TicketRecord{.id = "t-" + order.id + "-" + seat,
                                     .order_id = order.id,
                                     .event_id = order.event_id,
                                     .user_id = order.user_id,
                                     .seat_id = seat,
                                     .code = "BO1.code-of-" + order.id + "-" + seat,
                                     .status = "valid",
                                     .checked_in_at = std::nullopt});
    }
    return tickets;
  }

  static std::string answer_of(const OrderRecord& order) {
    return R"({"id":")" + order.id + R"("})";
  }

  ConfirmResult confirm(const OrderRecord& order) {
    auto tickets = tickets_for(order);
    return run_sync(orders().confirm_order(order.id, std::move(tickets), 201, answer_of(order)));
  }

  bool fail(const std::string& order_id) {
    return run_sync(orders().fail_order(order_id, 402, R"({"error":"payment_declined"})"));
  }

  // A confirmed order with a ticket per seat.
  OrderRecord sell(const std::string& id, const std::string& user, const Ids& seats,
                   std::int64_t created, const std::string& event = event_id) {
    auto order = start(id, user, seats, created, event);
    EXPECT_EQ(confirm(order), ConfirmResult::confirmed) << id;
    return order;
  }

  std::optional<OrderRecord> find_order(const std::string& id) {
    return run_sync(orders().find_order(id));
  }

  std::string status_of(const std::string& order_id) {
    const auto order = find_order(order_id);
    return order ? order->status : "<missing>";
  }

  std::optional<IdempotencyRecord> find_key(const std::string& user, const std::string& key) {
    return run_sync(orders().find_idempotency(user, key));
  }

  Ids sold_seats(const std::string& event = event_id) {
    return sorted(run_sync(orders().sold_seats(event)));
  }

  bool refund(const std::string& order_id) { return run_sync(orders().refund_order(order_id)); }

  CheckIn check_in(const std::string& ticket_id, std::int64_t when) {
    return run_sync(orders().check_in(ticket_id, at(when)));
  }

  TempFolder folder_;
  std::shared_ptr<Database> db_;
};

// --- schema, users, catalog -------------------------------------------------------------

TEST_P(OrderRepositoryTest, MigratingAgainIsHarmlessAndKeepsTheData) {
  const auto order = sell("o-1", "u-ann", {"s0-r0-1"}, 10);

  EXPECT_NO_THROW(db_->migrate());
  EXPECT_NO_THROW(db_->migrate());
  EXPECT_NO_THROW(run_sync(db_->ping()));
  EXPECT_TRUE(run_sync(users().find_by_id("u-ann")));
  EXPECT_EQ(status_of(order.id), "confirmed");
  EXPECT_EQ(sold_seats(), (Ids{"s0-r0-1"}));
  start("o-2", "u-ann", {"s0-r0-2"}, 20);
}

TEST_P(OrderRepositoryTest, FindsUsersByEmailAndById) {
  auto staff = user_record("u-sam", "sam@example.com");
  staff.role = Role::staff;
  staff.created_at = at(77);
  ASSERT_EQ(run_sync(users().create(staff)), CreateUserResult::created);

  for (const auto& found : {run_sync(users().find_by_email("sam@example.com")),
                            run_sync(users().find_by_id("u-sam"))}) {
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, "u-sam");
    EXPECT_EQ(found->email, "sam@example.com");
    EXPECT_EQ(found->name, "Name of u-sam");
    EXPECT_EQ(found->role, Role::staff);
    EXPECT_EQ(found->password_hash, "$argon2id$hash-of-u-sam");
    EXPECT_EQ(seconds_of(found->created_at), 77);
  }
  EXPECT_FALSE(run_sync(users().find_by_email("nobody@example.com")));
  EXPECT_FALSE(run_sync(users().find_by_id("u-nobody")));
}

TEST_P(OrderRepositoryTest, AnEmailBelongsToOneUser) {
  EXPECT_EQ(create_user("u-ann-2", "ann@example.com"), CreateUserResult::email_taken);
  const auto found = run_sync(users().find_by_email("ann@example.com"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "u-ann");
  EXPECT_FALSE(run_sync(users().find_by_id("u-ann-2")));
}

TEST_P(OrderRepositoryTest, VenuesRoundTrip) {
  const auto found = run_sync(catalog().find_venue("v-1"));
  ASSERT_TRUE(found);
  const auto expected = venue_record("v-1");
  EXPECT_EQ(found->id, expected.id);
  EXPECT_EQ(found->name, expected.name);
  EXPECT_EQ(found->layout_json, expected.layout_json);
  EXPECT_EQ(found->capacity, expected.capacity);
  EXPECT_EQ(seconds_of(found->created_at), seconds_of(expected.created_at));
  EXPECT_FALSE(run_sync(catalog().find_venue("v-nowhere")));
}

TEST_P(OrderRepositoryTest, VenuesAreListedByName) {
  auto arena = venue_record("v-0");
  arena.name = "Arena";
  run_sync(catalog().create_venue(arena));
  Ids listed;
  for (const auto& venue : run_sync(catalog().list_venues())) {
    listed.push_back(venue.id);
  }
  EXPECT_EQ(listed, (Ids{"v-0", "v-1"}));
  EXPECT_EQ(run_sync(catalog().list_venues()).back().layout_json, venue_record("v-1").layout_json);
}

TEST_P(OrderRepositoryTest, EventsRoundTripWithAndWithoutAPoster) {
  auto with_poster = event_record("ev-3", at(70'000));
  with_poster.poster_json = R"({"url":"https://example.com/p.png","alt":"A poster"})";
  with_poster.status = "scheduled";
  run_sync(catalog().create_event(with_poster));

  const auto plain = run_sync(catalog().find_event(event_id));
  ASSERT_TRUE(plain);
  const auto expected = event_record(event_id, at(90'000));
  EXPECT_EQ(plain->id, expected.id);
  EXPECT_EQ(plain->venue_id, expected.venue_id);
  EXPECT_EQ(plain->title, expected.title);
  EXPECT_EQ(plain->artist, expected.artist);
  EXPECT_EQ(seconds_of(plain->starts_at), 90'000);
  EXPECT_EQ(seconds_of(plain->sale_starts_at), 3);
  EXPECT_EQ(plain->status, "on_sale");
  EXPECT_EQ(plain->currency, "EUR");
  EXPECT_EQ(plain->prices_json, expected.prices_json);
  EXPECT_EQ(plain->max_tickets_per_order, 6);
  EXPECT_EQ(plain->hold_seconds, 420);
  EXPECT_EQ(plain->poster_json, std::nullopt);
  EXPECT_EQ(seconds_of(plain->created_at), 4);

  const auto posted = run_sync(catalog().find_event("ev-3"));
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->poster_json, with_poster.poster_json);
  EXPECT_EQ(posted->status, "scheduled");
  EXPECT_FALSE(run_sync(catalog().find_event("ev-nowhere")));

  Ids listed;
  for (const auto& event : run_sync(catalog().list_events())) {
    listed.push_back(event.id);
  }
  EXPECT_EQ(listed, (Ids{"ev-3", other_event_id, event_id}));
}

TEST_P(OrderRepositoryTest, EventStatusChangesOnlyFromTheExpectedStatus) {
  EXPECT_FALSE(run_sync(catalog().update_event_status(event_id, "scheduled", "cancelled")));
  EXPECT_EQ(run_sync(catalog().find_event(event_id))->status, "on_sale");

  EXPECT_TRUE(run_sync(catalog().update_event_status(event_id, "on_sale", "paused")));
  EXPECT_EQ(run_sync(catalog().find_event(event_id))->status, "paused");
  EXPECT_FALSE(run_sync(catalog().update_event_status(event_id, "on_sale", "cancelled")));
  EXPECT_EQ(run_sync(catalog().find_event(event_id))->status, "paused");
  EXPECT_EQ(run_sync(catalog().find_event(other_event_id))->status, "on_sale");

  EXPECT_FALSE(run_sync(catalog().update_event_status("ev-nowhere", "on_sale", "paused")));
}

// --- idempotency and pending orders ------------------------------------------------------

TEST_P(OrderRepositoryTest, BeginOrderStoresThePendingOrderAndItsKey) {
  const auto order = start("o-1", "u-ann", {"s0-r0-4", "s0-r0-5"}, 10);

  const auto key = find_key("u-ann", order.idempotency_key);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->user_id, "u-ann");
  EXPECT_EQ(key->key, order.idempotency_key);
  EXPECT_EQ(key->request_hash, "hash-1");
  EXPECT_EQ(key->order_id, "o-1");
  EXPECT_FALSE(key->done);
  EXPECT_EQ(key->status_code, 0);
  EXPECT_EQ(key->response_body, "");

  const auto found = find_order("o-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, "u-ann");
  EXPECT_EQ(found->event_id, event_id);
  EXPECT_EQ(found->hold_id, "hold-of-o-1");
  EXPECT_EQ(found->status, "pending");
  EXPECT_EQ(found->total, 2 * seat_price);
  EXPECT_EQ(found->currency, "EUR");
  EXPECT_EQ(found->seat_ids, (Ids{"s0-r0-4", "s0-r0-5"}));
  EXPECT_EQ(found->idempotency_key, order.idempotency_key);
  EXPECT_EQ(seconds_of(found->created_at), 10);
  EXPECT_TRUE(found->tickets.empty());

  EXPECT_FALSE(find_key("u-ann", "key-never-used"));
  EXPECT_FALSE(find_order("o-never-made"));
}

TEST_P(OrderRepositoryTest, ARepeatedKeyReportsTheFirstRecordAndStoresNothing) {
  const auto first = start("o-1", "u-ann", {"s0-r0-1"}, 10);

  auto repeat = order_record("o-2", "u-ann", {"s0-r0-2"}, 11);
  repeat.idempotency_key = first.idempotency_key;
  const auto begun = begin(repeat, "hash-2");
  const auto* exists = std::get_if<OrderExists>(&begun);
  ASSERT_NE(exists, nullptr);
  EXPECT_EQ(exists->record.order_id, "o-1");
  EXPECT_EQ(exists->record.request_hash, "hash-1");
  EXPECT_EQ(exists->record.user_id, "u-ann");
  EXPECT_EQ(exists->record.key, first.idempotency_key);
  EXPECT_FALSE(exists->record.done);
  EXPECT_FALSE(find_order("o-2"));

  // Once answered, a repeat carries the stored answer.
  ASSERT_EQ(confirm(first), ConfirmResult::confirmed);
  repeat.id = "o-3";
  const auto after = begin(repeat, "hash-1");
  const auto* answered = std::get_if<OrderExists>(&after);
  ASSERT_NE(answered, nullptr);
  EXPECT_EQ(answered->record.order_id, "o-1");
  EXPECT_TRUE(answered->record.done);
  EXPECT_EQ(answered->record.status_code, 201);
  EXPECT_EQ(answered->record.response_body, answer_of(first));
  EXPECT_FALSE(find_order("o-3"));
}

TEST_P(OrderRepositoryTest, TheSameKeyOfAnotherUserIsIndependent) {
  const auto anns = start("o-1", "u-ann", {"s0-r0-1"}, 10);
  auto bobs = order_record("o-2", "u-bob", {"s0-r0-2"}, 11);
  bobs.idempotency_key = anns.idempotency_key;
  EXPECT_TRUE(std::holds_alternative<OrderStarted>(begin(bobs, "hash-2")));

  const auto anns_key = find_key("u-ann", anns.idempotency_key);
  const auto bobs_key = find_key("u-bob", anns.idempotency_key);
  ASSERT_TRUE(anns_key);
  ASSERT_TRUE(bobs_key);
  EXPECT_EQ(anns_key->order_id, "o-1");
  EXPECT_EQ(bobs_key->order_id, "o-2");
  EXPECT_EQ(bobs_key->request_hash, "hash-2");

  ASSERT_EQ(confirm(anns), ConfirmResult::confirmed);
  EXPECT_FALSE(find_key("u-bob", anns.idempotency_key)->done);
}

// --- confirm and fail ---------------------------------------------------------------------

TEST_P(OrderRepositoryTest, ConfirmWritesTheTicketsAndTheStoredAnswerOnce) {
  const auto order = start("o-1", "u-ann", {"s0-r0-4", "s0-r0-5"}, 10);
  ASSERT_EQ(confirm(order), ConfirmResult::confirmed);

  const auto found = find_order("o-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, "confirmed");
  const auto expected = tickets_for(order);
  ASSERT_EQ(found->tickets.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& ticket = found->tickets[i];
    EXPECT_EQ(ticket.id, expected[i].id);
    EXPECT_EQ(ticket.order_id, "o-1");
    EXPECT_EQ(ticket.event_id, event_id);
    EXPECT_EQ(ticket.user_id, "u-ann");
    EXPECT_EQ(ticket.seat_id, expected[i].seat_id);
    EXPECT_EQ(ticket.code, expected[i].code);
    EXPECT_EQ(ticket.status, "valid");
    EXPECT_EQ(ticket.checked_in_at, std::nullopt);
  }
  const auto ticket = run_sync(orders().find_ticket(expected[0].id));
  ASSERT_TRUE(ticket);
  EXPECT_EQ(ticket->seat_id, "s0-r0-4");
  EXPECT_EQ(ticket->code, expected[0].code);
  EXPECT_FALSE(run_sync(orders().find_ticket("t-never-issued")));

  const auto key = find_key("u-ann", order.idempotency_key);
  ASSERT_TRUE(key);
  EXPECT_TRUE(key->done);
  EXPECT_EQ(key->status_code, 201);
  EXPECT_EQ(key->response_body, answer_of(order));

  auto again = order;
  for (auto& seat : again.seat_ids) {
    seat += "0";  // other seats, so only the order's state can refuse it
  }
  EXPECT_EQ(confirm(again), ConfirmResult::not_pending);
  EXPECT_EQ(find_order("o-1")->tickets.size(), 2U);
  EXPECT_EQ(sold_seats(), (Ids{"s0-r0-4", "s0-r0-5"}));
  std::vector<TicketRecord> no_tickets;
  EXPECT_EQ(run_sync(orders().confirm_order("o-never-made", std::move(no_tickets), 201, "{}")),
            ConfirmResult::not_pending);
}

TEST_P(OrderRepositoryTest, ConfirmingASeatWithALiveTicketWritesNothing) {
  sell("o-1", "u-ann", {"s0-r0-5"}, 10);
  // The taken seat comes second, so a first ticket would already be written if the
  // confirmation were not one transaction.
  const auto late = start("o-2", "u-bob", {"s0-r0-6", "s0-r0-5"}, 20);

  EXPECT_EQ(confirm(late), ConfirmResult::seat_taken);
  const auto found = find_order("o-2");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, "pending");
  EXPECT_TRUE(found->tickets.empty());
  EXPECT_FALSE(run_sync(orders().find_ticket("t-o-2-s0-r0-6")));
  EXPECT_EQ(sold_seats(), (Ids{"s0-r0-5"}));
  const auto key = find_key("u-bob", late.idempotency_key);
  ASSERT_TRUE(key);
  EXPECT_FALSE(key->done);
  EXPECT_EQ(tally(run_sync(orders().sales_totals(event_id))),
            std::make_tuple(std::int64_t{1}, seat_price, std::int64_t{1}));

  // The order is still pending, so it can be resolved as failed.
  EXPECT_TRUE(fail(late.id));
}

TEST_P(OrderRepositoryTest, TheSameSeatMaySellOnceForEachEvent) {
  sell("o-1", "u-ann", {"s0-r0-5"}, 10);
  const auto elsewhere = start("o-2", "u-bob", {"s0-r0-5"}, 20, other_event_id);
  EXPECT_EQ(confirm(elsewhere), ConfirmResult::confirmed);
  EXPECT_EQ(sold_seats(event_id), (Ids{"s0-r0-5"}));
  EXPECT_EQ(sold_seats(other_event_id), (Ids{"s0-r0-5"}));
}

TEST_P(OrderRepositoryTest, FailOrderStoresTheAnswerAndEndsTheOrder) {
  const auto order = start("o-1", "u-ann", {"s0-r0-1"}, 10);
  EXPECT_TRUE(fail(order.id));

  EXPECT_EQ(status_of(order.id), "failed");
  const auto key = find_key("u-ann", order.idempotency_key);
  ASSERT_TRUE(key);
  EXPECT_TRUE(key->done);
  EXPECT_EQ(key->status_code, 402);
  EXPECT_EQ(key->response_body, R"({"error":"payment_declined"})");

  EXPECT_FALSE(fail(order.id));
  EXPECT_EQ(confirm(order), ConfirmResult::not_pending);
  EXPECT_TRUE(find_order(order.id)->tickets.empty());
  EXPECT_TRUE(sold_seats().empty());

  const auto sold = sell("o-2", "u-ann", {"s0-r0-2"}, 20);
  EXPECT_FALSE(fail(sold.id));
  EXPECT_EQ(status_of(sold.id), "confirmed");
  EXPECT_EQ(find_key("u-ann", sold.idempotency_key)->status_code, 201);
  EXPECT_FALSE(fail("o-never-made"));
}

// --- reading orders -----------------------------------------------------------------------

TEST_P(OrderRepositoryTest, ListOrdersShowsConfirmedAndRefundedOrdersNewestFirst) {
  sell("o-10", "u-ann", {"s0-r0-1"}, 10);
  start("o-20", "u-ann", {"s0-r0-2"}, 20);
  ASSERT_TRUE(fail("o-20"));
  sell("o-30", "u-ann", {"s0-r0-3"}, 30);
  ASSERT_TRUE(refund("o-30"));
  start("o-40", "u-ann", {"s0-r0-4"}, 40);
  sell("o-50", "u-ann", {"s0-r0-5", "s0-r0-6"}, 50);
  sell("o-60", "u-bob", {"s0-r0-7"}, 60);

  const auto anns = run_sync(orders().list_orders("u-ann"));
  EXPECT_EQ(order_ids(anns), (Ids{"o-50", "o-30", "o-10"}));
  ASSERT_EQ(anns.size(), 3U);
  EXPECT_EQ(anns[0].status, "confirmed");
  EXPECT_EQ(anns[0].tickets.size(), 2U);
  EXPECT_EQ(anns[1].status, "refunded");
  ASSERT_EQ(anns[1].tickets.size(), 1U);
  EXPECT_EQ(anns[1].tickets[0].status, "void");

  EXPECT_EQ(order_ids(run_sync(orders().list_orders("u-bob"))), (Ids{"o-60"}));
  EXPECT_TRUE(run_sync(orders().list_orders("u-nobody")).empty());
}

TEST_P(OrderRepositoryTest, PendingOrdersAreListedOldestFirstBeforeACutOff) {
  sell("o-5", "u-ann", {"s0-r0-5"}, 5);
  start("o-30", "u-ann", {"s0-r0-3"}, 30);
  start("o-10", "u-bob", {"s0-r0-1"}, 10);
  start("o-15", "u-ann", {"s0-r0-9"}, 15);
  ASSERT_TRUE(fail("o-15"));
  start("o-20", "u-ann", {"s0-r0-2"}, 20);

  const auto pending_before = [this](std::int64_t cutoff, int limit) {
    return order_ids(run_sync(orders().pending_orders(at(cutoff), limit)));
  };
  EXPECT_EQ(pending_before(30, 10), (Ids{"o-10", "o-20"}));
  EXPECT_EQ(pending_before(31, 10), (Ids{"o-10", "o-20", "o-30"}));
  EXPECT_EQ(pending_before(31, 2), (Ids{"o-10", "o-20"}));
  EXPECT_EQ(pending_before(10, 10), Ids{});

  const auto oldest = run_sync(orders().pending_orders(at(11), 1));
  ASSERT_EQ(oldest.size(), 1U);
  EXPECT_EQ(oldest[0].status, "pending");
  EXPECT_EQ(oldest[0].seat_ids, (Ids{"s0-r0-1"}));
  EXPECT_EQ(oldest[0].user_id, "u-bob");
}

// --- refunds, sold seats and totals ---------------------------------------------------------

TEST_P(OrderRepositoryTest, RefundVoidsTheTicketsAndTheSeatsCanBeSoldAgain) {
  const auto order = sell("o-1", "u-ann", {"s0-r0-1", "s0-r0-2"}, 10);
  ASSERT_TRUE(refund(order.id));

  const auto found = find_order(order.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, "refunded");
  ASSERT_EQ(found->tickets.size(), 2U);
  for (const auto& ticket : found->tickets) {
    EXPECT_EQ(ticket.status, "void") << ticket.id;
  }
  EXPECT_TRUE(sold_seats().empty());
  EXPECT_FALSE(refund(order.id));

  // The unique rule covers live tickets only: the void ones stay and the seat sells again.
  const auto resale = start("o-2", "u-bob", {"s0-r0-2"}, 20);
  EXPECT_EQ(confirm(resale), ConfirmResult::confirmed);
  EXPECT_EQ(sold_seats(), (Ids{"s0-r0-2"}));
  EXPECT_EQ(find_order(order.id)->tickets.size(), 2U);

  const auto pending = start("o-3", "u-ann", {"s0-r0-3"}, 30);
  EXPECT_FALSE(refund(pending.id));
  EXPECT_EQ(status_of(pending.id), "pending");
  EXPECT_FALSE(refund("o-never-made"));
}

TEST_P(OrderRepositoryTest, SoldSeatsAndTotalsCountLiveTicketsOfConfirmedOrders) {
  const auto pair = sell("o-1", "u-ann", {"s0-r0-1", "s0-r0-2"}, 10);
  sell("o-2", "u-bob", {"s0-r0-3"}, 20);
  start("o-3", "u-ann", {"s0-r0-4"}, 30);
  start("o-4", "u-bob", {"s0-r0-5"}, 40);
  ASSERT_TRUE(fail("o-4"));
  sell("o-5", "u-ann", {"s0-r0-6"}, 50);
  ASSERT_TRUE(refund("o-5"));
  sell("o-6", "u-bob", {"s0-r0-1"}, 60, other_event_id);
  // A checked-in ticket is still a sold seat.
  ASSERT_EQ(check_in(tickets_for(pair)[0].id, 70).result, CheckInResult::admitted);

  EXPECT_EQ(sold_seats(event_id), (Ids{"s0-r0-1", "s0-r0-2", "s0-r0-3"}));
  EXPECT_EQ(sold_seats(other_event_id), (Ids{"s0-r0-1"}));
  EXPECT_TRUE(sold_seats("ev-nowhere").empty());

  using Totals = std::tuple<std::int64_t, std::int64_t, std::int64_t>;
  EXPECT_EQ(tally(run_sync(orders().sales_totals(event_id))), (Totals{2, 3 * seat_price, 3}));
  EXPECT_EQ(tally(run_sync(orders().sales_totals(other_event_id))), (Totals{1, seat_price, 1}));
  EXPECT_EQ(tally(run_sync(orders().sales_totals("ev-nowhere"))), (Totals{0, 0, 0}));
}

// --- check-in ---------------------------------------------------------------------------------

TEST_P(OrderRepositoryTest, CheckInAdmitsATicketOnceAndNeverAfterARefund) {
  const auto order = sell("o-1", "u-ann", {"s0-r0-1"}, 10);
  const auto ticket_id = tickets_for(order)[0].id;

  const auto first = check_in(ticket_id, 100);
  EXPECT_EQ(first.result, CheckInResult::admitted);
  ASSERT_TRUE(first.ticket);
  EXPECT_EQ(first.ticket->status, "checked_in");
  EXPECT_EQ(seconds_of(first.ticket->checked_in_at), 100);

  const auto second = check_in(ticket_id, 200);
  EXPECT_EQ(second.result, CheckInResult::already_checked_in);
  ASSERT_TRUE(second.ticket);
  EXPECT_EQ(seconds_of(second.ticket->checked_in_at), 100);
  EXPECT_EQ(seconds_of(run_sync(orders().find_ticket(ticket_id))->checked_in_at), 100);

  ASSERT_TRUE(refund(order.id));
  const auto after_refund = check_in(ticket_id, 300);
  EXPECT_EQ(after_refund.result, CheckInResult::void_ticket);
  ASSERT_TRUE(after_refund.ticket);
  EXPECT_EQ(after_refund.ticket->status, "void");

  const auto unknown = check_in("t-never-issued", 400);
  EXPECT_EQ(unknown.result, CheckInResult::not_found);
  EXPECT_FALSE(unknown.ticket);
}

TEST_P(OrderRepositoryTest, AValidTicketOfARefundedOrderIsVoid) {
  const auto order = sell("o-1", "u-ann", {"s0-r0-1"}, 10);
  ASSERT_TRUE(refund(order.id));
  const auto refused = check_in(tickets_for(order)[0].id, 100);
  EXPECT_EQ(refused.result, CheckInResult::void_ticket);
  ASSERT_TRUE(refused.ticket);
  EXPECT_EQ(refused.ticket->checked_in_at, std::nullopt);
}

// --- races ------------------------------------------------------------------------------------

TEST_P(OrderRepositoryTest, OfManyOrdersConfirmingTheSameSeatAtOnceExactlyOneSucceeds) {
  constexpr int contenders = 16;
  std::vector<OrderRecord> contending;
  contending.reserve(contenders);
  for (int i = 0; i < contenders; ++i) {
    contending.push_back(
        start("o-" + std::to_string(i), i % 2 == 0 ? "u-ann" : "u-bob", {"s0-r0-7"}, 10 + i));
  }

  std::mutex mutex;
  std::vector<ConfirmResult> results;
  std::vector<std::string> errors;
  std::latch ready{contenders};
  std::vector<std::thread> threads;
  threads.reserve(contending.size());
  for (const auto& order : contending) {
    threads.emplace_back([&, order] {
      ready.arrive_and_wait();
      try {
        const auto result = confirm(order);
        std::scoped_lock lock{mutex};
        results.push_back(result);
      } catch (const std::exception& error) {
        std::scoped_lock lock{mutex};
        errors.emplace_back(error.what());
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(std::count(results.begin(), results.end(), ConfirmResult::confirmed), 1);
  EXPECT_EQ(std::count(results.begin(), results.end(), ConfirmResult::seat_taken), contenders - 1);
  EXPECT_EQ(sold_seats(), (Ids{"s0-r0-7"}));
  int confirmed = 0;
  for (const auto& order : contending) {
    const auto found = find_order(order.id);
    ASSERT_TRUE(found);
    if (found->status == "confirmed") {
      ++confirmed;
      EXPECT_EQ(found->tickets.size(), 1U);
    } else {
      EXPECT_EQ(found->status, "pending") << order.id;
      EXPECT_TRUE(found->tickets.empty()) << order.id;
    }
  }
  EXPECT_EQ(confirmed, 1);
}

// Confirmations that arrive together may share one commit (MariaDB's group commit):
// each stays all-or-nothing on its own. Orders 0 and 1 both want the shared seat; the
// loser keeps none of its seats, and the batch-mates of either are untouched.
TEST_P(OrderRepositoryTest, ConfirmationsArrivingTogetherStayAllOrNothingEach) {
  constexpr int orders_at_once = 40;
  std::vector<OrderRecord> starting;
  starting.reserve(orders_at_once);
  for (int i = 0; i < orders_at_once; ++i) {
    const std::string own = "s0-r1-" + std::to_string(i);
    const Ids seats = i < 2 ? Ids{"s0-r0-shared", own} : Ids{own, "s0-r2-" + std::to_string(i)};
    starting.push_back(
        start("o-" + std::to_string(i), i % 2 == 0 ? "u-ann" : "u-bob", seats, 10 + i));
  }

  std::mutex mutex;
  std::map<std::string, ConfirmResult> results;
  std::vector<std::string> errors;
  std::latch ready{orders_at_once};
  std::vector<std::thread> threads;
  threads.reserve(starting.size());
  for (const auto& order : starting) {
    threads.emplace_back([&, order] {
      ready.arrive_and_wait();
      try {
        const auto result = confirm(order);
        std::scoped_lock lock{mutex};
        results[order.id] = result;
      } catch (const std::exception& error) {
        std::scoped_lock lock{mutex};
        errors.emplace_back(error.what());
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  ASSERT_TRUE(errors.empty()) << errors.front();
  ASSERT_EQ(results.size(), static_cast<std::size_t>(orders_at_once));
  const bool first_won = results["o-0"] == ConfirmResult::confirmed;
  const auto& loser = first_won ? starting[1] : starting[0];
  EXPECT_EQ(results[loser.id], ConfirmResult::seat_taken);
  EXPECT_EQ(results[first_won ? "o-0" : "o-1"], ConfirmResult::confirmed);
  Ids expected_sold;
  for (const auto& order : starting) {
    const auto found = find_order(order.id);
    ASSERT_TRUE(found);
    if (order.id == loser.id) {
      EXPECT_EQ(found->status, "pending");
      EXPECT_TRUE(found->tickets.empty());
      continue;
    }
    EXPECT_EQ(results[order.id], ConfirmResult::confirmed) << order.id;
    EXPECT_EQ(found->status, "confirmed") << order.id;
    EXPECT_EQ(found->tickets.size(), 2U) << order.id;
    expected_sold.insert(expected_sold.end(), order.seat_ids.begin(), order.seat_ids.end());
  }
  EXPECT_EQ(sold_seats(), sorted(expected_sold));
}

INSTANTIATE_TEST_SUITE_P(Backends, OrderRepositoryTest, testing::ValuesIn(database_backends()),
                         [](const testing::TestParamInfo<DatabaseBackend>& param_info) {
                           return param_info.param.name;
                         });

}  // namespace
}  // namespace boxoffice::store
