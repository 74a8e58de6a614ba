// Orders, tickets and idempotency records in MariaDB.
#pragma once

#include "common/group_commit.hpp"
#include "store/mysql/mysql_pool.hpp"
#include "store/order_repository.hpp"

namespace boxoffice::store::mysql {

class MysqlOrderRepository final : public OrderRepository {
 public:
  // New orders and confirmations share commits (innodb_flush_log_at_trx_commit=1 and
  // sync_binlog=1 make each commit an fsync): up to `batch_max` orders per transaction, up
  // to `batches_in_flight` transactions of each kind at once (1 and 1: one order per
  // commit). Each order still stands or falls alone inside its batch: the batch's
  // statements are set-based and decide each order by its own rows.
  MysqlOrderRepository(MysqlPool& pool, std::size_t batch_max, std::size_t batches_in_flight)
      : pool_(pool),
        beginnings_(on_database_thread(pool), retried(pool, &begin_batch), batch_max,
                    batches_in_flight),
        confirmations_(on_database_thread(pool), retried(pool, &confirm_batch), batch_max,
                       batches_in_flight) {}

  boost::asio::awaitable<std::optional<IdempotencyRecord>> find_idempotency(
      std::string user_id, std::string key) override;
  boost::asio::awaitable<BeginOrderResult> begin_order(IdempotencyRecord idempotency,
                                                       OrderRecord order) override;
  boost::asio::awaitable<ConfirmResult> confirm_order(std::string order_id,
                                                      std::vector<TicketRecord> tickets,
                                                      int status_code,
                                                      std::string response_body) override;
  boost::asio::awaitable<bool> fail_order(std::string order_id, int status_code,
                                          std::string response_body) override;
  boost::asio::awaitable<std::optional<OrderRecord>> find_order(std::string id) override;
  boost::asio::awaitable<std::vector<OrderRecord>> list_orders(std::string user_id) override;
  boost::asio::awaitable<std::vector<OrderRecord>> pending_orders(TimePoint created_before,
                                                                  int limit) override;
  boost::asio::awaitable<bool> refund_order(std::string order_id) override;
  boost::asio::awaitable<std::vector<std::string>> sold_seats(std::string event_id) override;
  boost::asio::awaitable<SalesTotals> sales_totals(std::string event_id) override;
  boost::asio::awaitable<std::optional<TicketRecord>> find_ticket(std::string id) override;
  boost::asio::awaitable<CheckIn> check_in(std::string ticket_id, TimePoint now) override;

 private:
  struct BeginRequest {
    IdempotencyRecord idempotency;
    OrderRecord order;
  };
  struct ConfirmRequest {
    std::string order_id;
    std::vector<TicketRecord> tickets;
    int status_code = 0;
    std::string response_body;
  };
  static std::vector<ConfirmResult> confirm_batch(Connection& connection, const Attempt& attempt,
                                                  const std::vector<ConfirmRequest>& batch);

  static std::vector<BeginOrderResult> begin_batch(Connection& connection, const Attempt& attempt,
                                                   const std::vector<BeginRequest>& batch);

  template <typename Request, typename Result>
  using Batcher = GroupCommit<Request, Result, Connection>;

  static std::function<void(std::function<void(Connection&)>)> on_database_thread(MysqlPool& pool) {
    return [&pool](std::function<void(Connection&)> job) { pool.post(std::move(job)); };
  }

  // Like any MysqlPool work a batch may run again after a lost connection or a deadlock,
  // so each request's part checks for its own earlier effect (Attempt).
  template <typename Request, typename Result>
  static typename Batcher<Request, Result>::BatchWork retried(
      MysqlPool& pool,
      std::vector<Result> (*batch_work)(Connection&, const Attempt&, const std::vector<Request>&)) {
    return [&pool, batch_work](Connection& connection, const std::vector<Request>& batch) {
      auto whole_batch = [&batch, batch_work](Connection& leased, const Attempt& attempt) {
        return batch_work(leased, attempt, batch);
      };
      return pool.with_retries(connection, whole_batch);
    };
  }

  MysqlPool& pool_;
  Batcher<BeginRequest, BeginOrderResult> beginnings_;
  Batcher<ConfirmRequest, ConfirmResult> confirmations_;
};

}  // namespace boxoffice::store::mysql
