// Tickets: the public key for offline scanners, QR codes for their owners, and check-in
// at the door.
#include "api/caller.hpp"
#include "api/json_fields.hpp"
#include "api/routes.hpp"
#include "common/time_format.hpp"
#include "http/response.hpp"
#include "sales/sales_json.hpp"
#include "tickets/qr_svg.hpp"

namespace boxoffice::api {
namespace {

using boost::asio::awaitable;
using http::beast_http::verb;

awaitable<http::Response> public_key(Services& services) {
  auto response = http::json_response(
      200, boost::json::object{{"algorithm", tickets::TicketSigner::algorithm},
                               {"public_key", services.ticket_signer.public_key_base64()}});
  response.set(http::beast_http::field::cache_control, "public, max-age=300");
  co_return response;
}

awaitable<http::Response> qr_code(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  auto ticket = co_await services.database.orders().find_ticket(request.param("id"));
  if (!ticket || ticket->user_id != caller.user.id) {
    throw errors::not_found();
  }
  auto response = http::text_response(200, "image/svg+xml", tickets::qr_svg(ticket->code));
  response.set(http::beast_http::field::cache_control, "private, no-store");
  co_return response;
}

ApiError invalid_code() {
  return {400, "invalid_code", "this is not a valid ticket code"};
}

awaitable<http::Response> check_in(Services& services, http::Request& request) {
  const auto caller = co_await require_caller(services, request);
  require_role(caller, store::Role::staff);
  const auto body = parse_object(request);
  const auto code = required_text(body, "code", {.min_chars = 1, .max_chars = 1024});
  const auto claims = services.ticket_signer.verify(code);
  if (!claims) {
    throw invalid_code();
  }
  auto& orders = services.database.orders();
  auto existing = co_await orders.find_ticket(claims->ticket_id);
  if (!existing || existing->event_id != claims->event_id || existing->seat_id != claims->seat_id) {
    throw invalid_code();
  }
  const auto outcome = co_await orders.check_in(claims->ticket_id, services.clock.now());
  auto event = co_await services.catalog.event(claims->event_id);
  if (!event || !outcome.ticket) {
    throw invalid_code();
  }
  const auto ticket = sales::ticket_json(event->venue->map, *outcome.ticket);
  switch (outcome.result) {
    case store::CheckInResult::admitted:
      services.metrics.increment("boxoffice_checkins_total");
      co_return http::json_response(
          200, boost::json::object{{"ticket", ticket}, {"result", "admitted"}});
    case store::CheckInResult::already_checked_in:
      throw errors::conflict("already_checked_in", "this ticket was already scanned")
          .with_extra("checked_in_at",
                      boost::json::string{format_rfc3339(
                          outcome.ticket->checked_in_at.value_or(services.clock.now()))})
          .with_extra("ticket", ticket);
    case store::CheckInResult::void_ticket:
      throw ApiError{410, "ticket_void", "this ticket was refunded and is no longer valid"}
          .with_extra("ticket", ticket);
    case store::CheckInResult::not_found:
      break;
  }
  throw invalid_code();
}

}  // namespace

void add_ticket_routes(http::Router& router, Services& services) {
  router.add(verb::get, "/api/v1/tickets/public-key",
             [&services](http::Request&) { return public_key(services); });
  router.add(verb::get, "/api/v1/tickets/{id}/qr.svg",
             [&services](http::Request& request) { return qr_code(services, request); });
  router.add(verb::post, "/api/v1/checkin",
             [&services](http::Request& request) { return check_in(services, request); });
}

}  // namespace boxoffice::api
