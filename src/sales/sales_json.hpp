// The contract's JSON shapes for events, holds, orders and tickets.
#pragma once

#include "sales/catalog.hpp"
#include "store/inventory_store.hpp"
#include "store/sales_records.hpp"

#include <boost/json/object.hpp>

namespace boxoffice::sales {

// `status` is the effective one: on_sale with nothing available reads as sold_out.
domain::EventStatus effective_status(const EventEntry& event, const store::SeatCounts& counts);

boost::json::object event_json(const EventEntry& event, const store::SeatCounts& counts);
// event_json serialized, rendered once per change of the seats available.
std::shared_ptr<const std::string> event_json_text(const EventEntry& event,
                                                   const store::SeatCounts& counts);
boost::json::object hold_json(const EventEntry& event, const store::Hold& hold);
boost::json::object ticket_json(const domain::SeatMap& map, const store::TicketRecord& ticket);
boost::json::object order_json(const domain::SeatMap& map, const store::OrderRecord& order);

}  // namespace boxoffice::sales
