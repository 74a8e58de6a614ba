"""Black-box tests of venues, events, status changes, sales figures and refunds (contract:
"Venues and events") and of the public catalog and seat maps (contract: "Catalog").

Run from the repository root:
    python3 -m unittest tests/integration/test_catalog_admin.py
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import API  # noqa: E402
from selling import (  # noqa: E402
    EVENT_FIELDS, SellingTestCase, create_event, create_venue, days_from_now, event_body,
    layout, parse_rfc3339, set_status, status_counts,
)

VENUES = "/admin/venues"
EVENTS = "/admin/events"


class VenueTests(SellingTestCase):

    def test_create_venue_with_sections_and_areas(self):
        body = {"name": "Grand Hall",
                "sections": [{"name": "Stalls", "category": "premium",
                              "rows": [{"label": "A", "seats": 12}, {"label": "B", "seats": 14}]},
                             {"name": "Balcony", "category": "balcony",
                              "rows": [{"label": "A", "seats": 8}]}],
                "areas": [{"name": "Standing", "category": "standing", "capacity": 40}]}
        resp = self.call("POST", VENUES, body, self.admin)
        self.assertEqual(resp.status, 201, resp)
        venue = resp.body["venue"]
        self.assertTrue({"id", "name", "capacity"} <= set(venue), venue)
        self.assertIsInstance(venue["id"], str)
        self.assertTrue(venue["id"])
        self.assertEqual(venue["name"], "Grand Hall")
        self.assertEqual(venue["capacity"], 12 + 14 + 8 + 40)

        # The seat map of an event there lists every seat and place once.
        ev = create_event(self.client, self.admin, venue["id"],
                          {"premium": 9000, "balcony": 4000, "standing": 2500})
        seats = self.seat_map(ev["id"])
        self.assertEqual(len(seats), 74)
        self.assertEqual(len({s["id"] for s in seats}), 74, "seat ids must be unique")
        numbered = [s for s in seats if "area" not in s]
        places = [s for s in seats if "area" in s]
        self.assertEqual(len(places), 40)
        for s in seats:
            self.assertSeat(s)
            self.assertEqual(s["status"], "available", s)
        for s in places:
            self.assertEqual((s["area"], s["category"]), ("Standing", "standing"), s)
        by_row = {}
        for s in numbered:
            by_row.setdefault((s["section"], s["row"]), []).append(s)
            self.assertEqual(s["category"], "premium" if s["section"] == "Stalls" else "balcony", s)
        self.assertEqual({k: sorted(x["number"] for x in v) for k, v in by_row.items()},
                         {("Stalls", "A"): list(range(1, 13)), ("Stalls", "B"): list(range(1, 15)),
                          ("Balcony", "A"): list(range(1, 9))})

    def test_seat_ids_are_stable(self):
        _, ev = self.new_event(on_sale=False)
        first = self.seat_map(ev["id"])
        second = self.seat_map(ev["id"])
        self.assertEqual([(s["id"], s.get("row"), s.get("number"), s.get("area")) for s in first],
                         [(s["id"], s.get("row"), s.get("number"), s.get("area")) for s in second])

    def test_only_sections_or_only_areas(self):
        v = create_venue(self.client, self.admin, layout(rows=(("A", 3),)))
        self.assertEqual(v["capacity"], 3)
        v = create_venue(self.client, self.admin, {"name": "Field", "areas": [
            {"name": "Lawn", "category": "ga", "capacity": 7}]})
        self.assertEqual(v["capacity"], 7)
        v = create_venue(self.client, self.admin, {"name": "Room", "sections": [
            {"name": "S", "category": "std", "rows": [{"label": "1", "seats": 2}]}], "areas": []})
        self.assertEqual(v["capacity"], 2)

    def test_venue_validation_names_the_field(self):
        row = {"label": "A", "seats": 5}
        sec = {"name": "Floor", "category": "floor", "rows": [row]}
        cases = [
            ({"sections": [sec]}, {"name"}),
            ({"name": "", "sections": [sec]}, {"name"}),
            ({"name": 5, "sections": [sec]}, {"name"}),
            ({"name": "V"}, {"sections", "areas"}),
            ({"name": "V", "sections": [], "areas": []}, {"sections", "areas"}),
            ({"name": "V", "sections": "Floor"}, {"sections"}),
            ({"name": "V", "sections": [{"category": "floor", "rows": [row]}]}, {"sections[0].name"}),
            ({"name": "V", "sections": [{"name": "F", "rows": [row]}]}, {"sections[0].category"}),
            ({"name": "V", "sections": [{"name": "F", "category": "1st", "rows": [row]}]},
             {"sections[0].category"}),
            ({"name": "V", "sections": [{"name": "F", "category": "has space", "rows": [row]}]},
             {"sections[0].category"}),
            ({"name": "V", "sections": [{"name": "F", "category": "floor", "rows": []}]},
             {"sections[0].rows"}),
            ({"name": "V", "sections": [{"name": "F", "category": "floor",
                                         "rows": [row, {"label": "B", "seats": 0}]}]},
             {"sections[0].rows[1].seats"}),
            ({"name": "V", "sections": [{"name": "F", "category": "floor",
                                         "rows": [{"label": "A", "seats": 10001}]}]},
             {"sections[0].rows[0].seats"}),
            ({"name": "V", "sections": [{"name": "F", "category": "floor",
                                         "rows": [{"label": "A", "seats": "5"}]}]},
             {"sections[0].rows[0].seats"}),
            ({"name": "V", "sections": [{"name": "F", "category": "floor",
                                         "rows": [{"seats": 5}]}]},
             {"sections[0].rows[0].label"}),
            ({"name": "V", "sections": [sec], "areas": [{"name": "G", "category": "ga", "capacity": 0}]},
             {"areas[0].capacity"}),
            ({"name": "V", "areas": [{"name": "G", "category": "ga", "capacity": -1}]},
             {"areas[0].capacity"}),
            ({"name": "V", "areas": [{"name": "G", "category": "ga"}]}, {"areas[0].capacity"}),
            ({"name": "V", "areas": [{"category": "ga", "capacity": 3}]}, {"areas[0].name"}),
        ]
        for body, fields in cases:
            with self.subTest(body=body):
                resp = self.call("POST", VENUES, body, self.admin)
                err = self.assertError(resp, 400, "invalid_request")
                self.assertIn(err.get("field"), fields, "field of %r" % err)

    def test_venue_duplicate_names_rejected(self):
        row = {"label": "A", "seats": 5}
        for body in ({"name": "V", "sections": [{"name": "F", "category": "floor", "rows": [row]},
                                                {"name": "F", "category": "floor", "rows": [row]}]},
                     {"name": "V", "sections": [{"name": "F", "category": "floor",
                                                 "rows": [row, dict(row)]}]}):
            with self.subTest(body=body):
                err = self.assertError(self.call("POST", VENUES, body, self.admin), 400, "invalid_request")
                self.assertIsInstance(err.get("field"), str, err)

    def test_venue_malformed_json(self):
        resp = self.client.request("POST", API + VENUES, b'{"name": "V", ', token=self.admin.token)
        self.assertError(resp, 400, "invalid_request")
        resp = self.client.request("POST", API + VENUES, b'{"name": "V"}', token=self.admin.token,
                                   content_type="text/plain")
        self.assertError(resp, 415, "unsupported_media_type")

    def test_venue_needs_admin(self):
        body = layout()
        self.assertError(self.client.request("POST", API + VENUES, body), 401, "unauthenticated")
        customer = self.signup()
        self.assertError(self.call("POST", VENUES, body, customer), 403, "forbidden")
        self.assertError(self.call("POST", VENUES, body, self.staff), 403, "forbidden")

    def test_admin_cookie_needs_csrf(self):
        body = layout()
        resp = self.client.request("POST", API + VENUES, body, cookie=self.admin.cookie)
        self.assertError(resp, 403, "csrf_failed")
        resp = self.client.request("POST", API + VENUES, body, cookie=self.admin.cookie, csrf="wrong")
        self.assertError(resp, 403, "csrf_failed")
        resp = self.client.request("POST", API + VENUES, body, cookie=self.admin.cookie,
                                   csrf=self.admin.csrf)
        self.assertEqual(resp.status, 201, resp)
        # A GET by cookie needs no CSRF token.
        ev = create_event(self.client, self.admin, resp.body["venue"]["id"], {"floor": 100})
        resp = self.client.request("GET", API + "/admin/events/%s/sales" % ev["id"],
                                   cookie=self.admin.cookie)
        self.assertEqual(resp.status, 200, resp)


class EventTests(SellingTestCase):

    def setUp(self):
        super().setUp()
        self.venue = create_venue(self.client, self.admin,
                                  layout(rows=(("A", 4),), areas=(("Standing", "ga", 6),)))

    def test_create_event_full_answer(self):
        starts = days_from_now(20)
        sale = days_from_now(-1)
        body = {"venue_id": self.venue["id"], "title": "Winter Concert", "artist": "Orchestra",
                "starts_at": starts, "sale_starts_at": sale, "currency": "EUR",
                "prices": {"floor": 5000, "ga": 3000}, "max_tickets_per_order": 4, "hold_seconds": 120}
        resp = self.call("POST", EVENTS, body, self.admin)
        self.assertEqual(resp.status, 201, resp)
        ev = resp.body["event"]
        self.assertEventShape(ev)
        self.assertEqual(ev["title"], "Winter Concert")
        self.assertEqual(ev["artist"], "Orchestra")
        self.assertEqual(ev["venue"], {"id": self.venue["id"], "name": self.venue["name"]})
        self.assertEqual(parse_rfc3339(ev["starts_at"]), parse_rfc3339(starts))
        self.assertEqual(parse_rfc3339(ev["sale_starts_at"]), parse_rfc3339(sale))
        self.assertEqual(ev["status"], "scheduled")
        self.assertEqual(ev["currency"], "EUR")
        self.assertEqual(ev["prices"], {"floor": 5000, "ga": 3000})
        self.assertEqual(ev["max_tickets_per_order"], 4)
        self.assertEqual(ev["hold_seconds"], 120)
        self.assertEqual(ev["capacity"], 10)
        self.assertEqual(ev["available"], 10)
        self.assertIsNone(ev["poster"])
        # The public view is the same event.
        got = self.call("GET", "/events/%s" % ev["id"])
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.body["event"], ev)

    def test_event_defaults(self):
        before = time.time()
        body = {"venue_id": self.venue["id"], "title": "Defaults", "starts_at": days_from_now(10),
                "currency": "EUR", "prices": {"floor": 1, "ga": 0}}
        resp = self.call("POST", EVENTS, body, self.admin)
        self.assertEqual(resp.status, 201, resp)
        ev = resp.body["event"]
        self.assertEventShape(ev)
        self.assertEqual(ev["artist"], "")
        self.assertEqual(ev["max_tickets_per_order"], 8)
        self.assertEqual(ev["hold_seconds"], 600)
        self.assertEqual(ev["status"], "scheduled")
        sale = parse_rfc3339(ev["sale_starts_at"])
        self.assertGreaterEqual(sale, int(before) - 1, ev["sale_starts_at"])
        self.assertLessEqual(sale, time.time() + 1, ev["sale_starts_at"])

    def test_every_category_needs_a_price(self):
        for prices in ({"floor": 5000}, {"ga": 3000}, {}):
            with self.subTest(prices=prices):
                resp = self.call("POST", EVENTS, event_body(self.venue["id"], prices), self.admin)
                err = self.assertError(resp, 400, "invalid_request")
                self.assertTrue(str(err.get("field", "")).startswith("prices"), err)

    def test_price_for_unknown_category_or_bad_amount(self):
        for prices in ({"floor": 5000, "ga": 3000, "vip": 100}, {"floor": -1, "ga": 3000},
                       {"floor": 100000001, "ga": 3000}, {"floor": "50", "ga": 3000},
                       {"floor": 12.5, "ga": 3000}):
            with self.subTest(prices=prices):
                resp = self.call("POST", EVENTS, event_body(self.venue["id"], prices), self.admin)
                err = self.assertError(resp, 400, "invalid_request")
                self.assertTrue(str(err.get("field", "")).startswith("prices"), err)

    def test_unknown_venue(self):
        resp = self.call("POST", EVENTS, event_body("no-such-venue", {"floor": 1}), self.admin)
        self.assertIn(resp.status, (400, 404), resp)
        if resp.status == 404:
            self.assertError(resp, 404, "not_found")
        else:
            self.assertError(resp, 400, "invalid_request", field="venue_id")

    def test_bad_fields(self):
        prices = {"floor": 5000, "ga": 3000}
        vid = self.venue["id"]
        cases = [
            ({"venue_id": vid, "starts_at": days_from_now(1), "currency": "EUR", "prices": prices}, "title"),
            (event_body(vid, prices, title=""), "title"),
            (event_body(vid, prices, title=42), "title"),
            ({"title": "T", "starts_at": days_from_now(1), "currency": "EUR", "prices": prices}, "venue_id"),
            ({"venue_id": vid, "title": "T", "currency": "EUR", "prices": prices}, "starts_at"),
            (event_body(vid, prices, starts_at="tomorrow"), "starts_at"),
            (event_body(vid, prices, starts_at="2026-13-45T25:61:00Z"), "starts_at"),
            (event_body(vid, prices, starts_at=1893456000), "starts_at"),
            (event_body(vid, prices, sale_starts_at="next week"), "sale_starts_at"),
            ({"venue_id": vid, "title": "T", "starts_at": days_from_now(1), "prices": prices}, "currency"),
            (event_body(vid, prices, currency="eur"), "currency"),
            (event_body(vid, prices, currency="EURO"), "currency"),
            ({"venue_id": vid, "title": "T", "starts_at": days_from_now(1), "currency": "EUR"}, "prices"),
            (event_body(vid, prices, max_tickets_per_order=0), "max_tickets_per_order"),
            (event_body(vid, prices, max_tickets_per_order=51), "max_tickets_per_order"),
            (event_body(vid, prices, max_tickets_per_order="8"), "max_tickets_per_order"),
            (event_body(vid, prices, hold_seconds=0), "hold_seconds"),
            (event_body(vid, prices, hold_seconds=3601), "hold_seconds"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                resp = self.call("POST", EVENTS, body, self.admin)
                self.assertError(resp, 400, "invalid_request", field=field)

    def test_sale_starting_after_the_event_is_rejected(self):
        body = event_body(self.venue["id"], {"floor": 1, "ga": 1}, starts_at=days_from_now(5),
                          sale_starts_at=days_from_now(6))
        err = self.assertError(self.call("POST", EVENTS, body, self.admin), 400, "invalid_request")
        self.assertIn(err.get("field"), ("sale_starts_at", "starts_at"), err)

    def test_event_needs_admin(self):
        body = event_body(self.venue["id"], {"floor": 1, "ga": 1})
        self.assertError(self.client.request("POST", API + EVENTS, body), 401, "unauthenticated")
        self.assertError(self.call("POST", EVENTS, body, self.signup()), 403, "forbidden")
        self.assertError(self.call("POST", EVENTS, body, self.staff), 403, "forbidden")

    def test_status_changes(self):
        ev = create_event(self.client, self.admin, self.venue["id"], {"floor": 1, "ga": 1})
        for status in ("on_sale", "paused", "on_sale", "paused", "cancelled"):
            with self.subTest(status=status):
                resp = set_status(self.client, self.admin, ev["id"], status)
                self.assertEqual(resp.status, 200, resp)
                self.assertEventShape(resp.body["event"])
                self.assertEqual(resp.body["event"]["status"], status)
                self.assertEqual(self.call("GET", "/events/%s" % ev["id"]).body["event"]["status"], status)
        # Cancelled is final.
        for status in ("on_sale", "paused"):
            with self.subTest(after="cancelled", status=status):
                resp = set_status(self.client, self.admin, ev["id"], status)
                self.assertIn(resp.status, (400, 409), resp)
                self.assertErrorBody(resp.body)
        self.assertEqual(self.call("GET", "/events/%s" % ev["id"]).body["event"]["status"], "cancelled")

    def test_status_values_outside_the_enum(self):
        ev = create_event(self.client, self.admin, self.venue["id"], {"floor": 1, "ga": 1})
        for body in ({"status": "sold_out"}, {"status": "scheduled"}, {"status": "open"},
                     {"status": 1}, {}):
            with self.subTest(body=body):
                resp = self.call("PATCH", "/admin/events/%s" % ev["id"], body, self.admin)
                self.assertError(resp, 400, "invalid_request", field="status")
        self.assertEqual(self.call("GET", "/events/%s" % ev["id"]).body["event"]["status"], "scheduled")

    def test_status_change_unknown_event_and_roles(self):
        self.assertError(set_status(self.client, self.admin, "no-such-event", "on_sale"), 404, "not_found")
        ev = create_event(self.client, self.admin, self.venue["id"], {"floor": 1, "ga": 1})
        self.assertError(set_status(self.client, self.signup(), ev["id"], "on_sale"), 403, "forbidden")
        self.assertError(set_status(self.client, self.staff, ev["id"], "on_sale"), 403, "forbidden")
        resp = self.client.request("PATCH", API + "/admin/events/%s" % ev["id"], {"status": "on_sale"})
        self.assertError(resp, 401, "unauthenticated")

    def test_sales_figures_and_roles(self):
        _, ev = self.new_event()
        s = self.sales(ev["id"])
        self.assertSalesConsistent(s)
        self.assertEqual(s, {**s, "capacity": 25, "sold": 0, "held": 0, "available": 25, "orders": 0,
                             "revenue": 0, "currency": "EUR"})
        buyer = self.signup()
        seats = self.seat_ids(ev["id"], row="A")[:2]
        o = self.buy(buyer, ev["id"], seats=seats)
        h = self.hold(buyer, ev["id"], category="ga", quantity=3)
        self.assertEqual(h.status, 201, h)
        s = self.sales(ev["id"])
        self.assertSalesConsistent(s)
        self.assertEqual((s["sold"], s["held"], s["available"], s["orders"], s["revenue"]),
                         (2, 3, 20, 1, 10000), s)
        self.assertEqual(o["total"], 10000)
        self.assertError(self.call("GET", "/admin/events/%s/sales" % ev["id"], None, buyer), 403, "forbidden")
        self.assertError(self.call("GET", "/admin/events/%s/sales" % ev["id"], None, self.staff),
                         403, "forbidden")
        self.assertError(self.call("GET", "/admin/events/%s/sales" % ev["id"]), 401, "unauthenticated")
        self.assertError(self.call("GET", "/admin/events/nope/sales", None, self.admin), 404, "not_found")


class RefundTests(SellingTestCase):

    def test_refund_voids_tickets_and_frees_seats(self):
        _, ev = self.new_event()
        buyer = self.signup()
        seats = self.seat_ids(ev["id"], row="B")[3:6]
        o = self.buy(buyer, ev["id"], seats=seats)
        before = self.sales(ev["id"])
        self.assertEqual((before["sold"], before["orders"], before["revenue"]), (3, 1, 15000), before)

        resp = self.call("POST", "/admin/orders/%s/refund" % o["id"], None, self.admin)
        self.assertEqual(resp.status, 200, resp)
        refunded = resp.body["order"]
        self.assertOrderShape(refunded)
        self.assertEqual(refunded["id"], o["id"])
        self.assertEqual(refunded["status"], "refunded")
        self.assertEqual(sorted(t["id"] for t in refunded["tickets"]), sorted(t["id"] for t in o["tickets"]))
        self.assertTrue(all(t["status"] == "void" for t in refunded["tickets"]), refunded["tickets"])

        # At once: seats available, figures moved, the owner sees the refund.
        st = self.statuses(ev["id"])
        self.assertEqual([st[s] for s in seats], ["available"] * 3)
        after = self.sales(ev["id"])
        self.assertSalesConsistent(after)
        self.assertEqual(after["sold"], before["sold"] - 3, after)
        self.assertEqual(after["available"], before["available"] + 3, after)
        self.assertEqual(after["held"], before["held"], after)
        self.assertIn(after["revenue"], (before["revenue"] - o["total"], before["revenue"]), after)
        self.assertLessEqual(after["orders"], before["orders"], after)
        mine = self.call("GET", "/orders/%s" % o["id"], None, buyer)
        self.assertEqual(mine.status, 200, mine)
        self.assertEqual(mine.body["order"]["status"], "refunded")
        self.assertTrue(all(t["status"] == "void" for t in mine.body["order"]["tickets"]))
        # The seats can be sold again.
        other = self.signup()
        o2 = self.buy(other, ev["id"], seats=seats)
        self.assertEqual(o2["status"], "confirmed")

    def test_refund_errors(self):
        _, ev = self.new_event()
        buyer = self.signup()
        o = self.buy(buyer, ev["id"], category="floor", quantity=1)
        self.assertError(self.call("POST", "/admin/orders/%s/refund" % o["id"], None, buyer), 403, "forbidden")
        self.assertError(self.call("POST", "/admin/orders/%s/refund" % o["id"], None, self.staff),
                         403, "forbidden")
        self.assertError(self.call("POST", "/admin/orders/%s/refund" % o["id"]), 401, "unauthenticated")
        self.assertError(self.call("POST", "/admin/orders/no-such-order/refund", None, self.admin),
                         404, "not_found")
        self.assertEqual(self.call("GET", "/orders/%s" % o["id"], None, buyer).body["order"]["status"],
                         "confirmed")
        # Twice: the second is either answered like the first or refused; never sells twice.
        first = self.call("POST", "/admin/orders/%s/refund" % o["id"], None, self.admin)
        self.assertEqual(first.status, 200, first)
        again = self.call("POST", "/admin/orders/%s/refund" % o["id"], None, self.admin)
        if again.status != 200:
            self.assertIn(again.status, (400, 409), again)
            self.assertErrorBody(again.body)
        s = self.sales(ev["id"])
        self.assertSalesConsistent(s)
        self.assertEqual(s["sold"], 0, s)


class CatalogTests(SellingTestCase):

    def test_list_soonest_first_without_cancelled(self):
        v = create_venue(self.client, self.admin, layout(rows=(("A", 3),)))
        made = {}
        for days, title in ((40, "late"), (10, "early"), (25, "middle"), (15, "cancelled"), (5, "paused")):
            ev = create_event(self.client, self.admin, v["id"], {"floor": 100}, title=title,
                              starts_at=days_from_now(days))
            made[title] = ev
        self.assertEqual(set_status(self.client, self.admin, made["cancelled"]["id"], "cancelled").status, 200)
        self.assertEqual(set_status(self.client, self.admin, made["paused"]["id"], "on_sale").status, 200)
        self.assertEqual(set_status(self.client, self.admin, made["paused"]["id"], "paused").status, 200)
        self.assertEqual(set_status(self.client, self.admin, made["middle"]["id"], "on_sale").status, 200)

        resp = self.client.get(API + "/events")  # public: no credentials
        self.assertEqual(resp.status, 200, resp)
        events = resp.body["events"]
        for e in events:
            self.assertEventShape(e)
            self.assertNotEqual(e["status"], "cancelled", e)
        starts = [parse_rfc3339(e["starts_at"]) for e in events]
        self.assertEqual(starts, sorted(starts), "events must be listed soonest first")
        ids = [e["id"] for e in events]
        self.assertNotIn(made["cancelled"]["id"], ids)
        mine = [e["title"] for e in events if e["venue"]["id"] == v["id"]]
        self.assertEqual(mine, ["paused", "early", "middle", "late"])
        by_id = {e["id"]: e for e in events}
        self.assertEqual(by_id[made["paused"]["id"]]["status"], "paused")
        self.assertEqual(by_id[made["middle"]["id"]]["status"], "on_sale")
        self.assertEqual(by_id[made["early"]["id"]]["status"], "scheduled")
        self.assertEqual(set(by_id[made["late"]["id"]]), EVENT_FIELDS)
        # A cancelled event is still readable by id.
        got = self.client.get(API + "/events/%s" % made["cancelled"]["id"])
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.body["event"]["status"], "cancelled")

    def test_unknown_event(self):
        self.assertError(self.client.get(API + "/events/no-such-event"), 404, "not_found")
        self.assertError(self.client.get(API + "/events/no-such-event/seats"), 404, "not_found")

    def test_seat_map_statuses_and_availability(self):
        _, ev = self.new_event()
        self.assertEqual((ev["capacity"], ev["available"]), (25, 25))
        a, b = self.signup(), self.signup()
        pos = self.seats_by_position(ev["id"])
        sold = [pos[("A", 1)], pos[("A", 2)]]
        self.buy(a, ev["id"], seats=sold)
        held = [pos[("B", 5)]]
        self.assertEqual(self.hold(b, ev["id"], seats=held).status, 201)
        ga = self.hold(a, ev["id"], category="ga", quantity=2)
        self.assertEqual(ga.status, 201, ga)
        ga_ids = [s["id"] for s in ga.body["hold"]["seats"]]

        resp = self.client.get(API + "/events/%s/seats" % ev["id"])  # public
        self.assertEqual(resp.status, 200, resp)
        seats = resp.body["seats"]
        for s in seats:
            self.assertSeat(s)
            self.assertIn(s["status"], ("available", "held", "sold"))
        st = {s["id"]: s["status"] for s in seats}
        for sid in sold:
            self.assertEqual(st[sid], "sold")
        for sid in held + ga_ids:
            self.assertEqual(st[sid], "held")
        self.assertEqual(status_counts(st), {"available": 20, "held": 3, "sold": 2})
        for s in seats:
            if s["id"] in ga_ids:
                self.assertEqual((s["area"], s["category"]), ("Standing", "ga"))
                for key in ("section", "row", "number"):
                    self.assertNotIn(key, s)
        ev2 = self.client.get(API + "/events/%s" % ev["id"]).body["event"]
        self.assertEqual((ev2["capacity"], ev2["available"]), (25, 20))


class AdminListTests(SellingTestCase):
    """What the organizer's pages read: every venue with its categories, every event
    (cancelled ones too) and a customer's orders found by email."""

    def test_venues_are_listed_with_their_categories(self):
        body = {"name": "Listed Hall " + str(time.time()),
                "sections": [{"name": "Stalls", "category": "premium",
                              "rows": [{"label": "A", "seats": 3}]}],
                "areas": [{"name": "Pit", "category": "standing", "capacity": 5}]}
        venue = create_venue(self.client, self.admin, body)
        resp = self.call("GET", VENUES, user=self.admin)
        self.assertEqual(resp.status, 200, resp)
        listed = {v["id"]: v for v in resp.body["venues"]}
        self.assertEqual(listed[venue["id"]], {"id": venue["id"], "name": body["name"],
                                               "capacity": 8,
                                               "categories": ["premium", "standing"]})
        names = [v["name"] for v in resp.body["venues"]]
        self.assertEqual(names, sorted(names))

    def test_every_event_is_listed_for_admins_cancelled_ones_too(self):
        _, cancelled = self.new_event(on_sale=False, title="Called off")
        set_status(self.client, self.admin, cancelled["id"], "cancelled")
        _, scheduled = self.new_event(on_sale=False)
        resp = self.call("GET", EVENTS, user=self.admin)
        self.assertEqual(resp.status, 200, resp)
        by_id = {e["id"]: e for e in resp.body["events"]}
        self.assertEqual(by_id[cancelled["id"]]["status"], "cancelled")
        self.assertEqual(by_id[scheduled["id"]]["status"], "scheduled")
        for event in resp.body["events"]:
            self.assertTrue(EVENT_FIELDS <= set(event), event)
        starts = [parse_rfc3339(e["starts_at"]) for e in resp.body["events"]]
        self.assertEqual(starts, sorted(starts))
        public = self.call("GET", "/events").body["events"]
        self.assertNotIn(cancelled["id"], {e["id"] for e in public})

    def test_a_customers_orders_are_found_by_email(self):
        _, ev = self.new_event()
        fan = self.signup()
        first = self.buy(fan, ev["id"], category="floor", quantity=1)
        second = self.buy(fan, ev["id"], category="floor", quantity=2)
        self.buy(self.signup(), ev["id"], category="floor", quantity=1)
        shouted = fan.email.upper().replace("@", "%40")
        resp = self.call("GET", "/admin/orders?email=" + shouted, user=self.admin)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual([o["id"] for o in resp.body["orders"]], [second["id"], first["id"]])
        self.assertEqual(len(resp.body["orders"][0]["tickets"]), 2)
        nobody = self.call("GET", "/admin/orders?email=nobody%40example.com", user=self.admin)
        self.assertEqual((nobody.status, nobody.body), (200, {"orders": []}))

    def test_lists_are_for_admins_only(self):
        fan = self.signup()
        for path in (VENUES, EVENTS, "/admin/orders?email=" + fan.email.replace("@", "%40")):
            with self.subTest(path=path):
                self.assertEqual(self.call("GET", path).status, 401)
                self.assertEqual(self.call("GET", path, user=fan).status, 403)
                self.assertEqual(self.call("GET", path, user=self.staff).status, 403)
        for query in ("", "?email=", "?mail=x%40example.com"):
            with self.subTest(query=query):
                resp = self.call("GET", "/admin/orders" + query, user=self.admin)
                self.assertEqual((resp.status, resp.body["error"].get("field")),
                                 (400, "email"))


if __name__ == "__main__":
    unittest.main()
