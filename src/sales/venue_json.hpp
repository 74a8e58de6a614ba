// Venue layouts to and from JSON: the organizer's request body, and the normalised form
// stored in the database.
#pragma once

#include "domain/venue_layout.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace boxoffice::sales {

// Reads {sections: [...], areas: [...]} from a request; throws 400 invalid_request naming
// the field for wrong types. Rule checks (sizes, names) are the domain's.
domain::VenueLayout layout_from_request(const boost::json::object& body);

std::string layout_to_json(const domain::VenueLayout& layout);
domain::VenueLayout layout_from_json(const std::string& text);

}  // namespace boxoffice::sales
