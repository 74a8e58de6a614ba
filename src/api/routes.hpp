// The whole HTTP surface: each resource registers its routes on one router.
#pragma once

#include "api/services.hpp"
#include "http/router.hpp"

namespace boxoffice::api {

void add_auth_routes(http::Router& router, Services& services);
void add_operations_routes(http::Router& router, Services& services);
void add_venue_routes(http::Router& router, Services& services);
void add_event_routes(http::Router& router, Services& services);
void add_hold_routes(http::Router& router, Services& services);
void add_order_routes(http::Router& router, Services& services);
void add_ticket_routes(http::Router& router, Services& services);
void add_poster_routes(http::Router& router, Services& services);

http::Router build_router(Services& services);

}  // namespace boxoffice::api
