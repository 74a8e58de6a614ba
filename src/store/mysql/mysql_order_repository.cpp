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

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

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

// Statements of a batch have lists of any length; each length would be one more prepared
// statement kept on every connection (the server caps them: max_prepared_stmt_count, and
// each connection caches at most 128). So lists are padded to the next power of two by
// repeating their last entry, which changes nothing (IN and CASE take the first match; a
// repeated ticket is a duplicate key that INSERT IGNORE skips) and leaves a few shapes per
// statement. (Finer steps send fewer repeated rows but make more shapes than that cache
// holds, and an uncached statement costs a round trip to prepare it on every use.)
std::size_t padded(std::size_t count) {
  std::size_t size = 1;
  while (size < count) {
    size *= 2;
  }
  return size;
}

// Binds `values` from parameter `first` on, repeating the last one up to `size` places.
void bind_list(Statement& statement, int first, const std::vector<std::string>& values,
               std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    statement.bind(first + static_cast<int>(i), values[std::min(i, values.size() - 1)]);
  }
}

// "?, ?, ?" for an IN list of `count` values.
std::string placeholders(std::size_t count) {
  std::string list;
  list.reserve(count * 3);
  for (std::size_t i = 0; i < count; ++i) {
    list += i == 0 ? "?" : ", ?";
  }
  return list;
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

// As confirm_batch: a few statements per batch. Every key is claimed with one insert that
// skips keys already taken; the keys that now name this batch's orders are the ones it won.
std::vector<BeginOrderResult> MysqlOrderRepository::begin_batch(
    Connection& connection, const Attempt& attempt, const std::vector<BeginRequest>& batch) {
  std::vector<BeginOrderResult> results(batch.size(), OrderStarted{});
  Transaction transaction{connection};

  // 1. Claim every key at once. A key another request holds is skipped here; one held by
  //    an uncommitted transaction makes this wait for it, as a single insert would.
  const auto rows = padded(batch.size());
  std::string sql =
      "INSERT IGNORE INTO idempotency_keys (user_id, `key`, request_hash, order_id, "
      "created_at) VALUES ";
  for (std::size_t i = 0; i < rows; ++i) {
    sql += i == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)";
  }
  auto claim = connection.prepare(sql);
  // In key order, so that concurrent batches lock keys in one order (no deadlock cycles).
  std::vector<const BeginRequest*> by_key;
  by_key.reserve(batch.size());
  for (const auto& request : batch) {
    by_key.push_back(&request);
  }
  std::sort(by_key.begin(), by_key.end(), [](const auto* left, const auto* right) {
    return std::tie(left->idempotency.user_id, left->idempotency.key) <
           std::tie(right->idempotency.user_id, right->idempotency.key);
  });
  for (std::size_t i = 0; i < rows; ++i) {
    const auto& request = *by_key[std::min(i, by_key.size() - 1)];
    const auto column = static_cast<int>(i * 5);
    claim.bind(column + 1, request.idempotency.user_id)
        .bind(column + 2, request.idempotency.key)
        .bind(column + 3, request.idempotency.request_hash)
        .bind(column + 4, request.order.id)
        .bind(column + 5, to_unix_seconds(request.order.created_at));
  }
  claim.run();

  // 2. Which keys name this batch's orders (order ids are 128 random bits: a key naming
  //    one is this batch's, from this try or from an earlier one whose commit answer was
  //    lost).
  std::vector<std::string> order_ids;
  order_ids.reserve(batch.size());
  for (const auto& request : batch) {
    order_ids.push_back(request.order.id);
  }
  std::set<std::string> won;
  {
    auto mine = connection.prepare("SELECT order_id FROM idempotency_keys WHERE order_id IN (" +
                                   placeholders(rows) + ")");
    bind_list(mine, 1, order_ids, rows);
    while (mine.step()) {
      won.insert(mine.text(0));
    }
  }

  // 3. A key someone else holds gets that request's record (the duplicate error of a
  //    single insert comes only once the holder committed, and records are never deleted).
  std::vector<const BeginRequest*> started;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& request = batch[i];
    if (won.contains(request.order.id)) {
      started.push_back(&request);
      continue;
    }
    auto existing =
        read_idempotency(connection, request.idempotency.user_id, request.idempotency.key);
    if (!existing) {
      throw std::runtime_error("an idempotency key was neither claimed nor found");
    }
    if (attempt.earlier_outcome_unknown && existing->order_id == request.order.id) {
      continue;
    }
    results[i] = OrderExists{std::move(*existing)};
  }

  // 4. The pending orders of the keys won, at once (an order an earlier try already wrote
  //    is skipped).
  if (!started.empty()) {
    std::sort(started.begin(), started.end(),
              [](const auto* left, const auto* right) { return left->order.id < right->order.id; });
    const auto order_rows = padded(started.size());
    std::string insert_sql =
        "INSERT IGNORE INTO orders (id, user_id, event_id, hold_id, status, total, currency, "
        "seats, idempotency_key, created_at, updated_at) VALUES ";
    for (std::size_t i = 0; i < order_rows; ++i) {
      insert_sql += i == 0 ? "(?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)"
                           : ", (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)";
    }
    auto insert = connection.prepare(insert_sql);
    for (std::size_t i = 0; i < order_rows; ++i) {
      const auto& order = started[std::min(i, started.size() - 1)]->order;
      const auto column = static_cast<int>(i * 10);
      insert.bind(column + 1, order.id)
          .bind(column + 2, order.user_id)
          .bind(column + 3, order.event_id)
          .bind(column + 4, order.hold_id)
          .bind(column + 5, order.total)
          .bind(column + 6, order.currency)
          .bind(column + 7, seats_to_json(order.seat_ids))
          .bind(column + 8, order.idempotency_key)
          .bind(column + 9, to_unix_seconds(order.created_at))
          .bind(column + 10, to_unix_seconds(order.created_at));
    }
    insert.run();
  }
  transaction.commit();
  return results;
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

// A batch costs a handful of statements whatever its size: under load every round trip
// to the server waits for a core, so statements per order, not commits, become the limit
// once commits are shared. Each order still stands or falls alone: one whose seat is taken
// loses its tickets and stays pending; the others are confirmed.
std::vector<ConfirmResult> MysqlOrderRepository::confirm_batch(
    Connection& connection, const Attempt& attempt, const std::vector<ConfirmRequest>& batch) {
  std::vector<ConfirmResult> results(batch.size(), ConfirmResult::not_pending);
  Transaction transaction{connection};

  // 1. Which orders are still pending; the rows stay locked, so a concurrent confirm or
  //    fail of one of them waits and then finds it no longer pending.
  std::set<std::string> pending;
  {
    std::vector<std::string> ids;
    ids.reserve(batch.size());
    for (const auto& request : batch) {
      ids.push_back(request.order_id);
    }
    const auto size = padded(ids.size());
    // By primary key only, and the status checked here: a status condition lets the
    // optimizer walk the status index instead, locking other batches' pending orders.
    auto rows =
        connection.prepare("SELECT id, status FROM orders FORCE INDEX (PRIMARY) WHERE id IN (" +
                           placeholders(size) + ") FOR UPDATE");
    bind_list(rows, 1, ids, size);
    while (rows.step()) {
      if (rows.text(1) == "pending") {
        pending.insert(rows.text(0));
      }
    }
  }

  // 2. Every ticket of those orders at once. A seat with another live ticket is skipped
  //    (IGNORE) rather than failing the statement; step 3 finds whose it was.
  std::vector<const ConfirmRequest*> candidates;
  std::size_t ticket_count = 0;
  std::vector<std::string> candidate_ids;
  std::set<std::string> seen;
  for (const auto& request : batch) {
    // The same order twice in one batch (the repair sweep and a retry, say): the first
    // one confirms it, the second finds it no longer pending, as it would one at a time.
    if (pending.contains(request.order_id) && seen.insert(request.order_id).second) {
      candidates.push_back(&request);
      candidate_ids.push_back(request.order_id);
      ticket_count += request.tickets.size();
    }
  }
  std::set<std::string> short_of_tickets;
  if (ticket_count > 0) {
    std::string sql =
        "INSERT IGNORE INTO tickets (id, order_id, event_id, user_id, seat_id, code, status) "
        "VALUES ";
    const auto rows = padded(ticket_count);
    for (std::size_t i = 0; i < rows; ++i) {
      sql += i == 0 ? "(?, ?, ?, ?, ?, ?, 'valid')" : ", (?, ?, ?, ?, ?, ?, 'valid')";
    }
    auto insert = connection.prepare(sql);
    int column = 1;
    const auto bind_ticket = [&](const std::string& order_id, const TicketRecord& ticket) {
      insert.bind(column, ticket.id)
          .bind(column + 1, order_id)
          .bind(column + 2, ticket.event_id)
          .bind(column + 3, ticket.user_id)
          .bind(column + 4, ticket.seat_id)
          .bind(column + 5, ticket.code);
      column += 6;
    };
    // Each order's tickets in its own order: they are read back in insertion order
    // (seq), which is the order the 201 answer listed them in.
    std::vector<std::pair<const std::string*, const TicketRecord*>> tickets;
    tickets.reserve(rows);
    for (const auto* request : candidates) {
      for (const auto& ticket : request->tickets) {
        tickets.emplace_back(&request->order_id, &ticket);
      }
    }
    for (std::size_t i = 0; i < rows; ++i) {
      const auto& [order_id, ticket] = tickets[std::min(i, tickets.size() - 1)];
      bind_ticket(*order_id, *ticket);
    }
    insert.run();
    if (connection.changes() != ticket_count) {
      // 3. Some seat was taken: count what each order got, and take back the tickets of
      //    every order that did not get all of its seats.
      std::map<std::string, std::size_t> written;
      const auto size = padded(candidate_ids.size());
      auto counts =
          connection.prepare("SELECT order_id, COUNT(*) FROM tickets WHERE order_id IN (" +
                             placeholders(size) + ") GROUP BY order_id");
      bind_list(counts, 1, candidate_ids, size);
      while (counts.step()) {
        written[counts.text(0)] = static_cast<std::size_t>(counts.integer(1));
      }
      for (const auto* request : candidates) {
        if (written[request->order_id] != request->tickets.size()) {
          short_of_tickets.insert(request->order_id);
        }
      }
      if (!short_of_tickets.empty()) {
        const std::vector<std::string> losers(short_of_tickets.begin(), short_of_tickets.end());
        const auto loser_slots = padded(losers.size());
        auto undo = connection.prepare("DELETE FROM tickets WHERE order_id IN (" +
                                       placeholders(loser_slots) + ")");
        bind_list(undo, 1, losers, loser_slots);
        undo.run();
      }
    }
  }

  // 4. The winners are confirmed, with their stored answers, in two statements.
  std::vector<const ConfirmRequest*> winners;
  for (const auto* request : candidates) {
    if (!short_of_tickets.contains(request->order_id)) {
      winners.push_back(request);
    }
  }
  if (!winners.empty()) {
    const auto size = padded(winners.size());
    while (winners.size() < size) {
      winners.push_back(winners.back());
    }
    std::vector<std::string> winner_ids;
    winner_ids.reserve(size);
    for (const auto* request : winners) {
      winner_ids.push_back(request->order_id);
    }
    auto confirm =
        connection.prepare("UPDATE orders SET status = 'confirmed', updated_at = ? WHERE id IN (" +
                           placeholders(size) + ")");
    confirm.bind(1, now_seconds());
    bind_list(confirm, 2, winner_ids, size);
    confirm.run();

    std::string sql = "UPDATE idempotency_keys SET done = 1, status_code = CASE order_id";
    for (std::size_t i = 0; i < winners.size(); ++i) {
      sql += " WHEN ? THEN ?";
    }
    sql += " END, response = CASE order_id";
    for (std::size_t i = 0; i < winners.size(); ++i) {
      sql += " WHEN ? THEN ?";
    }
    sql += " END WHERE order_id IN (" + placeholders(winners.size()) + ")";
    auto answers = connection.prepare(sql);
    int column = 1;
    for (const auto* request : winners) {
      answers.bind(column++, request->order_id);
      answers.bind(column++, std::int64_t{request->status_code});
    }
    for (const auto* request : winners) {
      answers.bind(column++, request->order_id);
      answers.bind(column++, request->response_body);
    }
    for (const auto* request : winners) {
      answers.bind(column++, request->order_id);
    }
    answers.run();
  }

  std::vector<bool> decided(batch.size(), false);
  for (const auto* request : candidates) {
    const auto index = static_cast<std::size_t>(request - batch.data());
    results[index] = short_of_tickets.contains(request->order_id) ? ConfirmResult::seat_taken
                                                                  : ConfirmResult::confirmed;
    decided[index] = true;
  }
  // The rest found their order no longer pending, unless it is this call's own earlier
  // try that committed without its answer arriving.
  if (attempt.earlier_outcome_unknown) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!decided[i] && own_confirmation_landed(connection, batch[i].order_id, batch[i].tickets)) {
        results[i] = ConfirmResult::confirmed;
      }
    }
  }
  transaction.commit();
  return results;
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
