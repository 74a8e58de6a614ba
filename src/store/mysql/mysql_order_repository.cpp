// Orders, tickets and idempotency records in MariaDB: the same answers as the SQLite
// repository, with MariaDB's means of serialising writers. SQLite takes one write lock
// per transaction; here every decision rests on a row lock taken by a write, never on a
// value read earlier in the transaction:
//   - an idempotency key is claimed by inserting it (a concurrent duplicate waits on the
//     uncommitted row, then fails on the primary key and reads the winner's record);
//   - state changes are conditional UPDATEs whose matched-row count says who won;
//   - a seat is sold by inserting its ticket under the unique live-seat key.
// Each unit of work may run more than once (see MysqlPool::run). Where an earlier try may
// have committed without the answer arriving, the work checks for its own effect before
// it reports that someone else got there first.
#include "store/mysql/mysql_order_repository.hpp"

#include "common/time_format.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace boxoffice::store::mysql {
namespace {

constexpr std::string_view select_order =
    "SELECT id, user_id, event_id, hold_id, status, total, currency, seats, idempotency_key, "
    "created_at FROM orders ";
constexpr std::string_view select_ticket =
    "SELECT id, order_id, event_id, user_id, seat_id, code, status, checked_in_at FROM tickets ";

std::string seats_to_json(const std::vector<std::string>& seat_ids) {
  boost::json::array array;
  for (const auto& id : seat_ids) {
    array.emplace_back(id);
  }
  return boost::json::serialize(array);
}

std::vector<std::string> seats_from_json(const std::string& text) {
  std::vector<std::string> seat_ids;
  const auto parsed = boost::json::parse(text);
  for (const auto& id : parsed.as_array()) {
    seat_ids.emplace_back(id.as_string());
  }
  return seat_ids;
}

TicketRecord read_ticket(const Statement& row) {
  TicketRecord ticket{
      .id = row.text(0),
      .order_id = row.text(1),
      .event_id = row.text(2),
      .user_id = row.text(3),
      .seat_id = row.text(4),
      .code = row.text(5),
      .status = row.text(6),
      .checked_in_at = std::nullopt,
  };
  if (!row.is_null(7)) {
    ticket.checked_in_at = from_unix_seconds(row.integer(7));
  }
  return ticket;
}

std::vector<TicketRecord> tickets_of(Connection& connection, const std::string& order_id) {
  std::vector<TicketRecord> tickets;
  auto row = connection.prepare(std::string{select_ticket} + "WHERE order_id = ? ORDER BY seq");
  row.bind(1, order_id);
  while (row.step()) {
    tickets.push_back(read_ticket(row));
  }
  return tickets;
}

OrderRecord read_order(Connection& connection, const Statement& row) {
  OrderRecord order{
      .id = row.text(0),
      .user_id = row.text(1),
      .event_id = row.text(2),
      .hold_id = row.text(3),
      .status = row.text(4),
      .total = row.integer(5),
      .currency = row.text(6),
      .seat_ids = seats_from_json(row.text(7)),
      .idempotency_key = row.text(8),
      .created_at = from_unix_seconds(row.integer(9)),
      .tickets = {},
  };
  order.tickets = tickets_of(connection, order.id);
  return order;
}

std::optional<IdempotencyRecord> read_idempotency(Connection& connection,
                                                  const std::string& user_id,
                                                  const std::string& key) {
  auto row = connection.prepare(
      "SELECT request_hash, order_id, done, status_code, response FROM idempotency_keys "
      "WHERE user_id = ? AND `key` = ?");
  row.bind(1, user_id).bind(2, key);
  if (!row.step()) {
    return std::nullopt;
  }
  return IdempotencyRecord{
      .user_id = user_id,
      .key = key,
      .request_hash = row.text(0),
      .order_id = row.text(1),
      .done = row.integer(2) != 0,
      .status_code = static_cast<int>(row.integer(3)),
      .response_body = row.text(4),
  };
}

void store_answer(Connection& connection, const std::string& order_id, int status_code,
                  const std::string& response_body) {
  connection
      .prepare(
          "UPDATE idempotency_keys SET done = 1, status_code = ?, response = ? WHERE order_id = ?")
      .bind(1, std::int64_t{status_code})
      .bind(2, response_body)
      .bind(3, order_id)
      .run();
}

std::int64_t now_seconds() {
  return to_unix_seconds(std::chrono::system_clock::now());
}

std::optional<std::string> order_status(Connection& connection, const std::string& order_id) {
  auto row = connection.prepare("SELECT status FROM orders WHERE id = ?");
  row.bind(1, order_id);
  if (!row.step()) {
    return std::nullopt;
  }
  return row.text(0);
}

// Whether the stored answer of the order is `status_code` and `response_body` (or there
// is no idempotency record to hold one).
bool answer_is(Connection& connection, const std::string& order_id, int status_code,
               const std::string& response_body) {
  auto row = connection.prepare(
      "SELECT done, status_code, response FROM idempotency_keys WHERE order_id = ?");
  row.bind(1, order_id);
  if (!row.step()) {
    return true;
  }
  return row.integer(0) != 0 && row.integer(1) == status_code && row.text(2) == response_body;
}

// confirm_order's own earlier try committed: the order is confirmed with the tickets this
// call was given (ticket ids are 128 random bits, so a match is this call's).
bool own_confirmation_landed(Connection& connection, const std::string& order_id,
                             const std::vector<TicketRecord>& tickets) {
  if (order_status(connection, order_id) != "confirmed") {
    return false;
  }
  if (tickets.empty()) {
    return true;
  }
  auto row = connection.prepare("SELECT 1 FROM tickets WHERE id = ? AND order_id = ?");
  row.bind(1, tickets.front().id).bind(2, order_id);
  return row.step();
}

}  // namespace

boost::asio::awaitable<std::optional<IdempotencyRecord>> MysqlOrderRepository::find_idempotency(
    std::string user_id, std::string key) {
  auto query = [user_id = std::move(user_id), key = std::move(key)](Connection& connection,
                                                                    const Attempt&) {
    return read_idempotency(connection, user_id, key);
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<BeginOrderResult> MysqlOrderRepository::begin_order(
    IdempotencyRecord idempotency, OrderRecord order) {
  // Named, not a temporary in the call: g++ 12 mishandles aggregate temporaries passed to
  // a coroutine.
  BeginRequest request{.idempotency = std::move(idempotency), .order = std::move(order)};
  return beginnings_.submit(std::move(request));
}

std::vector<BeginOrderResult> MysqlOrderRepository::begin_batch(
    Connection& connection, const Attempt& attempt, const std::vector<BeginRequest>& batch) {
  std::vector<BeginOrderResult> results;
  results.reserve(batch.size());
  Transaction transaction{connection};
  for (const auto& request : batch) {
    results.push_back(begin_one(connection, attempt, request));
  }
  transaction.commit();
  return results;
}

BeginOrderResult MysqlOrderRepository::begin_one(Connection& connection, const Attempt& attempt,
                                                 const BeginRequest& request) {
  const auto& idempotency = request.idempotency;
  const auto& order = request.order;
  // After a lost commit answer, a record naming this order is this call's own (order ids
  // are 128 random bits): the order has started.
  const auto first_come = [&](IdempotencyRecord existing) -> BeginOrderResult {
    if (attempt.earlier_outcome_unknown && existing.order_id == order.id) {
      return OrderStarted{};
    }
    return OrderExists{std::move(existing)};
  };
  if (auto existing = read_idempotency(connection, idempotency.user_id, idempotency.key)) {
    return first_come(std::move(*existing));
  }
  connection.exec("SAVEPOINT one_order");
  // The key goes first: a concurrent request with the same key blocks on this row until
  // we commit, then fails on the primary key below.
  try {
    connection
        .prepare(
            "INSERT INTO idempotency_keys (user_id, `key`, request_hash, order_id, "
            "created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(1, idempotency.user_id)
        .bind(2, idempotency.key)
        .bind(3, idempotency.request_hash)
        .bind(4, order.id)
        .bind(5, to_unix_seconds(order.created_at))
        .run();
  } catch (const MysqlError& error) {
    if (!error.is_constraint()) {
      throw;
    }
    connection.exec("ROLLBACK TO SAVEPOINT one_order");
    // The duplicate key error comes only once the other transaction committed (or from
    // an earlier request of this very batch), and idempotency records are never deleted,
    // so the winner's record is there to read.
    auto existing = read_idempotency(connection, idempotency.user_id, idempotency.key);
    if (!existing) {
      throw std::runtime_error("idempotency record vanished after a duplicate key error");
    }
    return first_come(std::move(*existing));
  }
  connection
      .prepare(
          "INSERT INTO orders (id, user_id, event_id, hold_id, status, total, currency, "
          "seats, idempotency_key, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', "
          "?, ?, ?, ?, ?, ?)")
      .bind(1, order.id)
      .bind(2, order.user_id)
      .bind(3, order.event_id)
      .bind(4, order.hold_id)
      .bind(5, order.total)
      .bind(6, order.currency)
      .bind(7, seats_to_json(order.seat_ids))
      .bind(8, order.idempotency_key)
      .bind(9, to_unix_seconds(order.created_at))
      .bind(10, to_unix_seconds(order.created_at))
      .run();
  return OrderStarted{};
}

boost::asio::awaitable<ConfirmResult> MysqlOrderRepository::confirm_order(
    std::string order_id, std::vector<TicketRecord> tickets, int status_code,
    std::string response_body) {
  ConfirmRequest request{.order_id = std::move(order_id),
                         .tickets = std::move(tickets),
                         .status_code = status_code,
                         .response_body = std::move(response_body)};
  return confirmations_.submit(std::move(request));
}

std::vector<ConfirmResult> MysqlOrderRepository::confirm_batch(
    Connection& connection, const Attempt& attempt, const std::vector<ConfirmRequest>& batch) {
  std::vector<ConfirmResult> results;
  results.reserve(batch.size());
  Transaction transaction{connection};
  for (const auto& request : batch) {
    results.push_back(confirm_one(connection, attempt, request));
  }
  transaction.commit();
  return results;
}

ConfirmResult MysqlOrderRepository::confirm_one(Connection& connection, const Attempt& attempt,
                                                const ConfirmRequest& request) {
  // Everything of this order since here is undone alone if one of its seats is taken;
  // the other orders of the batch stay.
  connection.exec("SAVEPOINT one_order");
  // Locks the order row: a concurrent confirm or fail of the same order waits here and
  // then matches nothing.
  connection
      .prepare(
          "UPDATE orders SET status = 'confirmed', updated_at = ? WHERE id = ? AND status = "
          "'pending'")
      .bind(1, now_seconds())
      .bind(2, request.order_id)
      .run();
  if (connection.changes() == 1) {
    auto insert = connection.prepare(
        "INSERT INTO tickets (id, order_id, event_id, user_id, seat_id, code, status) "
        "VALUES (?, ?, ?, ?, ?, ?, 'valid')");
    for (const auto& ticket : request.tickets) {
      try {
        insert.bind(1, ticket.id)
            .bind(2, request.order_id)
            .bind(3, ticket.event_id)
            .bind(4, ticket.user_id)
            .bind(5, ticket.seat_id)
            .bind(6, ticket.code)
            .run();
      } catch (const MysqlError& error) {
        // Another order's live ticket holds the seat (its insert committed first, or we
        // waited on it until it did): nothing of this order is kept.
        if (error.is_constraint()) {
          connection.exec("ROLLBACK TO SAVEPOINT one_order");
          return ConfirmResult::seat_taken;
        }
        throw;
      }
    }
    store_answer(connection, request.order_id, request.status_code, request.response_body);
    return ConfirmResult::confirmed;
  }
  if (attempt.earlier_outcome_unknown &&
      own_confirmation_landed(connection, request.order_id, request.tickets)) {
    return ConfirmResult::confirmed;
  }
  return ConfirmResult::not_pending;
}

boost::asio::awaitable<bool> MysqlOrderRepository::fail_order(std::string order_id, int status_code,
                                                              std::string response_body) {
  auto write = [order_id = std::move(order_id), status_code,
                response_body = std::move(response_body)](Connection& connection,
                                                          const Attempt& attempt) {
    {
      Transaction transaction{connection};
      connection
          .prepare(
              "UPDATE orders SET status = 'failed', updated_at = ? WHERE id = ? AND status = "
              "'pending'")
          .bind(1, now_seconds())
          .bind(2, order_id)
          .run();
      if (connection.changes() == 1) {
        store_answer(connection, order_id, status_code, response_body);
        transaction.commit();
        return true;
      }
    }
    return attempt.earlier_outcome_unknown && order_status(connection, order_id) == "failed" &&
           answer_is(connection, order_id, status_code, response_body);
  };
  co_return co_await pool_.run(std::move(write));
}

boost::asio::awaitable<std::optional<OrderRecord>> MysqlOrderRepository::find_order(
    std::string id) {
  auto query = [id = std::move(id)](Connection& connection,
                                    const Attempt&) -> std::optional<OrderRecord> {
    auto row = connection.prepare(std::string{select_order} + "WHERE id = ?");
    row.bind(1, id);
    if (!row.step()) {
      return std::nullopt;
    }
    return read_order(connection, row);
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<std::vector<OrderRecord>> MysqlOrderRepository::list_orders(
    std::string user_id) {
  auto query = [user_id = std::move(user_id)](Connection& connection, const Attempt&) {
    std::vector<OrderRecord> orders;
    auto row = connection.prepare(std::string{select_order} +
                                  "WHERE user_id = ? AND status IN ('confirmed', 'refunded') "
                                  "ORDER BY created_at DESC, seq DESC LIMIT 1000");
    row.bind(1, user_id);
    while (row.step()) {
      orders.push_back(read_order(connection, row));
    }
    return orders;
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<std::vector<OrderRecord>> MysqlOrderRepository::pending_orders(
    TimePoint created_before, int limit) {
  auto query = [created_before, limit](Connection& connection, const Attempt&) {
    std::vector<OrderRecord> orders;
    auto row = connection.prepare(std::string{select_order} +
                                  "WHERE status = 'pending' AND created_at < ? "
                                  "ORDER BY created_at, seq LIMIT ?");
    row.bind(1, to_unix_seconds(created_before)).bind(2, std::int64_t{limit});
    while (row.step()) {
      orders.push_back(read_order(connection, row));
    }
    return orders;
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<bool> MysqlOrderRepository::refund_order(std::string order_id) {
  auto write = [order_id = std::move(order_id)](Connection& connection, const Attempt& attempt) {
    {
      Transaction transaction{connection};
      connection
          .prepare(
              "UPDATE orders SET status = 'refunded', updated_at = ? WHERE id = ? AND status = "
              "'confirmed'")
          .bind(1, now_seconds())
          .bind(2, order_id)
          .run();
      if (connection.changes() == 1) {
        // Voiding clears live_seat_id, which frees the seats under the unique key.
        connection.prepare("UPDATE tickets SET status = 'void' WHERE order_id = ?")
            .bind(1, order_id)
            .run();
        transaction.commit();
        return true;
      }
    }
    return attempt.earlier_outcome_unknown && order_status(connection, order_id) == "refunded";
  };
  co_return co_await pool_.run(std::move(write));
}

boost::asio::awaitable<std::vector<std::string>> MysqlOrderRepository::sold_seats(
    std::string event_id) {
  auto query = [event_id = std::move(event_id)](Connection& connection, const Attempt&) {
    std::vector<std::string> seats;
    // live_seat_id is the seat of a ticket that is not void: read from the unique key
    // alone, without touching the rows.
    auto row = connection.prepare(
        "SELECT live_seat_id FROM tickets WHERE event_id = ? AND live_seat_id IS NOT NULL");
    row.bind(1, event_id);
    while (row.step()) {
      seats.push_back(row.text(0));
    }
    return seats;
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<SalesTotals> MysqlOrderRepository::sales_totals(std::string event_id) {
  auto query = [event_id = std::move(event_id)](Connection& connection, const Attempt&) {
    SalesTotals totals;
    auto orders = connection.prepare(
        "SELECT COUNT(*), COALESCE(SUM(total), 0) FROM orders WHERE event_id = ? AND status = "
        "'confirmed'");
    orders.bind(1, event_id);
    if (orders.step()) {
      totals.orders = orders.integer(0);
      totals.revenue = orders.integer(1);
    }
    auto tickets = connection.prepare(
        "SELECT COUNT(*) FROM tickets WHERE event_id = ? AND live_seat_id IS NOT NULL");
    tickets.bind(1, event_id);
    if (tickets.step()) {
      totals.tickets = tickets.integer(0);
    }
    return totals;
  };
  co_return co_await pool_.run(std::move(query));
}

boost::asio::awaitable<std::optional<TicketRecord>> MysqlOrderRepository::find_ticket(
    std::string id) {
  auto query = [id = std::move(id)](Connection& connection,
                                    const Attempt&) -> std::optional<TicketRecord> {
    auto row = connection.prepare(std::string{select_ticket} + "WHERE id = ?");
    row.bind(1, id);
    if (!row.step()) {
      return std::nullopt;
    }
    return read_ticket(row);
  };
  co_return co_await pool_.run(std::move(query));
}

// Retried like the rest, but with no "was it my earlier try?" check: if a try admitted the
// ticket and its answer was lost, the retry reports already_checked_in (with the time just
// set). Erring that way never admits one ticket twice, which a check on the timestamp
// could when two doors scan the same code in the same second.
boost::asio::awaitable<CheckIn> MysqlOrderRepository::check_in(std::string ticket_id,
                                                               TimePoint now) {
  auto write = [ticket_id = std::move(ticket_id), now](Connection& connection, const Attempt&) {
    Transaction transaction{connection};
    connection
        .prepare(
            "UPDATE tickets SET status = 'checked_in', checked_in_at = ? WHERE id = ? AND status "
            "= 'valid'")
        .bind(1, to_unix_seconds(now))
        .bind(2, ticket_id)
        .run();
    const bool admitted = connection.changes() == 1;
    // Under READ COMMITTED this reads the row as our UPDATE left it, or as the scanner
    // that won committed it.
    auto row = connection.prepare(std::string{select_ticket} + "WHERE id = ?");
    row.bind(1, ticket_id);
    if (!row.step()) {
      return CheckIn{CheckInResult::not_found, std::nullopt};
    }
    auto ticket = read_ticket(row);
    transaction.commit();
    if (admitted) {
      return CheckIn{CheckInResult::admitted, std::move(ticket)};
    }
    return CheckIn{
        ticket.status == "void" ? CheckInResult::void_ticket : CheckInResult::already_checked_in,
        std::move(ticket)};
  };
  co_return co_await pool_.run(std::move(write));
}

}  // namespace boxoffice::store::mysql
