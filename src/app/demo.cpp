#include "app/demo.hpp"

#include "api/accounts.hpp"
#include "common/random.hpp"
#include "domain/seat_map.hpp"
#include "sales/venue_json.hpp"

#include <boost/json/serialize.hpp>

#include <fstream>

namespace boxoffice::app {
namespace {

// 300 numbered seats in three sections and a standing area of 100.
domain::VenueLayout demo_layout() {
  domain::VenueLayout layout;
  auto rows = [](char first, int count, int seats) {
    std::vector<domain::RowLayout> list;
    list.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      list.push_back({std::string(1, static_cast<char>(first + i)), seats});
    }
    return list;
  };
  layout.sections.push_back({"Stalls", "stalls", rows('A', 8, 20)});
  layout.sections.push_back({"Circle", "circle", rows('J', 5, 16)});
  layout.sections.push_back({"Balcony", "balcony", rows('P', 3, 20)});
  layout.areas.push_back({"Standing", "standing", 100});
  return layout;
}

boost::asio::awaitable<void> seed_demo_event(store::Database& database, const Clock& clock) {
  if (!(co_await database.catalog().list_events()).empty()) {
    co_return;
  }
  const auto layout = demo_layout();
  const auto map = domain::build_seat_map(layout);
  const auto now = clock.now();
  store::VenueRecord venue{.id = new_id(),
                           .name = "Demo Hall",
                           .layout_json = sales::layout_to_json(layout),
                           .capacity = map->capacity(),
                           .created_at = now};
  co_await database.catalog().create_venue(venue);
  store::EventRecord event{
      .id = new_id(),
      .venue_id = venue.id,
      .title = "Opening Night",
      .artist = "The Demo Band",
      .starts_at = now + std::chrono::days{30},
      .sale_starts_at = now,
      .status = "on_sale",
      .currency = "EUR",
      .prices_json = boost::json::serialize(boost::json::object{
          {"stalls", 6500}, {"circle", 4500}, {"balcony", 2500}, {"standing", 3500}}),
      .max_tickets_per_order = 8,
      .hold_seconds = 600,
      .poster_json = std::nullopt,
      .created_at = now,
  };
  co_await database.catalog().create_event(event);
}

}  // namespace

boost::asio::awaitable<DemoCredentials> seed_demo(store::Database& database,
                                                  const security::PasswordHasher& hasher,
                                                  const std::filesystem::path& data_dir,
                                                  const Clock& clock) {
  DemoCredentials credentials{.email = "admin@boxoffice.local", .password = {}};
  const auto password_file = data_dir / "demo-admin-password";
  if (std::ifstream existing{password_file}; existing) {
    std::getline(existing, credentials.password);
  }
  if (credentials.password.size() < api::password_min_chars) {
    credentials.password = "demo-" + random_hex(8);
    std::filesystem::create_directories(data_dir);
    {
      std::ofstream out{password_file, std::ios::trunc};
      out << credentials.password << '\n';
    }
    std::filesystem::permissions(
        password_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  if (!co_await database.users().find_by_email(credentials.email)) {
    auto user = api::new_user(credentials.email, "Demo Admin", store::Role::admin,
                              hasher.hash(credentials.password), clock.now());
    co_await database.users().create(std::move(user));
  }
  co_await seed_demo_event(database, clock);
  co_return credentials;
}

}  // namespace boxoffice::app
