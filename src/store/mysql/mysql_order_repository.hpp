// Orders, tickets and idempotency records in MariaDB.
#pragma once

#include "store/mysql/mysql_pool.hpp"
#include "store/order_repository.hpp"

namespace boxoffice::store::mysql {

class MysqlOrderRepository final : public OrderRepository {
 public:
  explicit MysqlOrderRepository(MysqlPool& pool) : pool_(pool) {}

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
  MysqlPool& pool_;
};

}  // namespace boxoffice::store::mysql
