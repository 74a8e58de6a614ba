#include "sales/sales_json.hpp"

#include "common/time_format.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace boxoffice::sales {

domain::EventStatus effective_status(const EventEntry& event, const store::SeatCounts& counts) {
  return domain::reconcile_sold_out(event.stored_status, counts.available);
}

boost::json::object event_json(const EventEntry& event, const store::SeatCounts& counts) {
  const auto& record = event.record;
  return {
      {"id", record.id},
      {"title", record.title},
      {"artist", record.artist},
      {"venue",
       boost::json::object{{"id", event.venue->record.id}, {"name", event.venue->record.name}}},
      {"starts_at", format_rfc3339(record.starts_at)},
      {"sale_starts_at", format_rfc3339(record.sale_starts_at)},
      {"status", domain::to_string(effective_status(event, counts))},
      {"currency", record.currency},
      {"prices", event.prices_json},
      {"max_tickets_per_order", record.max_tickets_per_order},
      {"hold_seconds", record.hold_seconds},
      {"capacity", event.venue->map.capacity()},
      {"available", counts.available},
      {"poster", event.poster_json},
  };
}

std::shared_ptr<const std::string> event_json_text(const EventEntry& event,
                                                   const store::SeatCounts& counts) {
  return event.rendered->get_or_render(
      counts.available, [&] { return boost::json::serialize(event_json(event, counts)); });
}

boost::json::object hold_json(const EventEntry& event, const store::Hold& hold) {
  boost::json::array seats;
  std::int64_t total = 0;
  for (auto index : hold.seats) {
    const auto& seat = event.venue->map.seat(index);
    seats.push_back(seat_json(seat));
    total += event.prices.price(seat.category_index);
  }
  return {{"id", hold.id},
          {"event_id", hold.event_id},
          {"seats", std::move(seats)},
          {"expires_at", format_rfc3339(hold.expires_at)},
          {"total", total},
          {"currency", event.record.currency}};
}

boost::json::object ticket_json(const domain::SeatMap& map, const store::TicketRecord& ticket) {
  boost::json::value seat = boost::json::object{{"id", ticket.seat_id}};
  if (auto index = map.find(ticket.seat_id)) {
    seat = seat_json(map.seat(*index));
  }
  return {{"id", ticket.id},         {"order_id", ticket.order_id}, {"event_id", ticket.event_id},
          {"seat", std::move(seat)}, {"code", ticket.code},         {"status", ticket.status}};
}

boost::json::object order_json(const domain::SeatMap& map, const store::OrderRecord& order) {
  boost::json::array tickets;
  for (const auto& ticket : order.tickets) {
    tickets.push_back(ticket_json(map, ticket));
  }
  return {{"id", order.id},
          {"event_id", order.event_id},
          {"status", order.status},
          {"tickets", std::move(tickets)},
          {"total", order.total},
          {"currency", order.currency},
          {"created_at", format_rfc3339(order.created_at)}};
}

}  // namespace boxoffice::sales
