#include "api/routes.hpp"

namespace boxoffice::api {

http::Router build_router(Services& services) {
  http::Router router{&services.metrics};
  add_operations_routes(router, services);
  add_auth_routes(router, services);
  add_venue_routes(router, services);
  add_event_routes(router, services);
  add_poster_routes(router, services);
  add_hold_routes(router, services);
  add_order_routes(router, services);
  add_ticket_routes(router, services);
  return router;
}

}  // namespace boxoffice::api
