// The whole HTTP surface: each resource registers its routes on one router.
#pragma once

#include "api/services.hpp"
#include "http/router.hpp"
#include "web/static_site.hpp"

namespace boxoffice::api {

void add_auth_routes(http::Router& router, Services& services);
void add_operations_routes(http::Router& router, Services& services);
void add_venue_routes(http::Router& router, Services& services);
void add_event_routes(http::Router& router, Services& services);
void add_hold_routes(http::Router& router, Services& services);
void add_order_routes(http::Router& router, Services& services);
void add_ticket_routes(http::Router& router, Services& services);
void add_poster_routes(http::Router& router, Services& services);
// `policy`: the Content-Security-Policy of the pages.
void add_web_routes(http::Router& router, const web::StaticSite& site, std::string policy);

http::Router build_router(Services& services);

}  // namespace boxoffice::api
