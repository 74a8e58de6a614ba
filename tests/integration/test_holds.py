"""Black-box tests of holds (contract: "Holds"): named seats, best available, limits,
sale windows, one live hold per user and event, release, ownership and expiry.

Run from the repository root:
    python3 -m unittest tests/integration/test_holds.py
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import API  # noqa: E402
from selling import (  # noqa: E402
    SellingTestCase, create_event, create_venue, days_from_now, layout, parse_rfc3339,
    set_status, status_counts,
)


class HoldTests(SellingTestCase):

    def setUp(self):
        super().setUp()
        self.venue, self.event = self.new_event()
        self.eid = self.event["id"]
        self.pos = self.seats_by_position(self.eid)
        self.user = self.signup()

    def seats(self, *positions):
        return [self.pos[p] for p in positions]

    def assertStatuses(self, ids, status):
        st = self.statuses(self.eid)
        self.assertEqual({i: st[i] for i in ids}, {i: status for i in ids})

    # ------------------------------------------------------------------ named seats

    def test_hold_named_seats(self):
        ids = self.seats(("A", 3), ("A", 4))
        started = time.time()
        resp = self.hold(self.user, self.eid, seats=ids)
        self.assertEqual(resp.status, 201, resp)
        h = resp.body["hold"]
        self.assertHoldShape(h)
        self.assertEqual(h["event_id"], self.eid)
        self.assertEqual(sorted(s["id"] for s in h["seats"]), sorted(ids))
        for s in h["seats"]:
            self.assertEqual((s["section"], s["row"], s["category"]), ("Floor", "A", "floor"))
        self.assertEqual(sorted(s["number"] for s in h["seats"]), [3, 4])
        self.assertEqual((h["total"], h["currency"]), (10000, "EUR"))
        expires = parse_rfc3339(h["expires_at"])
        self.assertAlmostEqual(expires, started + 600, delta=5, msg=h["expires_at"])
        self.assertStatuses(ids, "held")
        self.assertEqual(self.client.get(API + "/events/%s" % self.eid).body["event"]["available"], 23)

        got = self.call("GET", "/holds/%s" % h["id"], None, self.user)
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.body["hold"], h)

    def test_hold_ga_places_by_id(self):
        ga = self.seat_ids(self.eid, category="ga")[:2]
        resp = self.hold(self.user, self.eid, seats=ga)
        self.assertEqual(resp.status, 201, resp)
        self.assertEqual(resp.body["hold"]["total"], 6000)
        for s in resp.body["hold"]["seats"]:
            self.assertSeat(s)
            self.assertEqual(s["area"], "Standing")
        self.assertStatuses(ga, "held")

    def test_hold_owner_only(self):
        ids = self.seats(("B", 1))
        h = self.hold(self.user, self.eid, seats=ids).body["hold"]
        other = self.signup()
        self.assertError(self.call("GET", "/holds/%s" % h["id"], None, other), 404, "not_found")
        self.assertError(self.call("DELETE", "/holds/%s" % h["id"], None, other), 404, "not_found")
        self.assertError(self.call("GET", "/holds/%s" % h["id"]), 401, "unauthenticated")
        self.assertError(self.call("DELETE", "/holds/%s" % h["id"]), 401, "unauthenticated")
        self.assertError(self.call("GET", "/holds/no-such-hold", None, self.user), 404, "not_found")
        self.assertStatuses(ids, "held")
        self.assertEqual(self.call("GET", "/holds/%s" % h["id"], None, self.user).status, 200)

    def test_delete_frees_seats_at_once(self):
        ids = self.seats(("A", 9), ("A", 10))
        h = self.hold(self.user, self.eid, seats=ids).body["hold"]
        resp = self.call("DELETE", "/holds/%s" % h["id"], None, self.user)
        self.assertEqual(resp.status, 204, resp)
        self.assertEqual(resp.raw, b"")
        self.assertStatuses(ids, "available")
        self.assertEqual(self.sales(self.eid)["held"], 0)
        self.assertError(self.call("GET", "/holds/%s" % h["id"], None, self.user), 404, "not_found")
        self.assertError(self.call("DELETE", "/holds/%s" % h["id"], None, self.user), 404, "not_found")
        self.assertError(self.order(self.user, h["id"]), 409, "hold_expired")
        # Someone else can take them straight away.
        self.assertEqual(self.hold(self.signup(), self.eid, seats=ids).status, 201)

    def test_delete_with_cookie_needs_csrf(self):
        h = self.hold(self.user, self.eid, seats=self.seats(("B", 9))).body["hold"]
        path = API + "/holds/%s" % h["id"]
        self.assertError(self.client.request("DELETE", path, cookie=self.user.cookie), 403, "csrf_failed")
        resp = self.client.request("DELETE", path, cookie=self.user.cookie, csrf=self.user.csrf)
        self.assertEqual(resp.status, 204, resp)

    def test_seats_unavailable_holds_nothing(self):
        other = self.signup()
        taken = self.seats(("A", 5))
        self.assertEqual(self.hold(other, self.eid, seats=taken).status, 201)
        sold = self.seats(("B", 2))
        self.buy(self.signup(), self.eid, seats=sold)
        free = self.seats(("A", 6), ("A", 7))
        resp = self.hold(self.user, self.eid, seats=free + taken)
        err = self.assertError(resp, 409, "seats_unavailable")
        self.assertEqual(err.get("unavailable"), taken, err)
        resp = self.hold(self.user, self.eid, seats=sold + free + taken)
        err = self.assertError(resp, 409, "seats_unavailable")
        self.assertEqual(sorted(err.get("unavailable") or []), sorted(sold + taken), err)
        self.assertStatuses(free, "available")
        self.assertEqual(status_counts(self.statuses(self.eid)), {"available": 23, "held": 1, "sold": 1})
        self.assertEqual(self.sales(self.eid)["held"], 1)

    def test_unknown_seat_id(self):
        # A seat of another venue, unless ids happen to coincide across venues.
        _, other_event = self.new_event(venue=layout(rows=(("Z", 30),), section="Far", category="floor"),
                                        prices={"floor": 100})
        mine = set(self.seat_ids(self.eid))
        foreign = [i for i in self.seat_ids(other_event["id"]) if i not in mine][:1]
        free = self.seats(("B", 7))
        for bad in ["no-such-seat"] + foreign:
            with self.subTest(seat=bad):
                resp = self.hold(self.user, self.eid, seats=free + [bad])
                self.assertIn(resp.status, (400, 409), resp)
                if resp.status == 409:
                    err = self.assertError(resp, 409, "seats_unavailable")
                    self.assertEqual(err.get("unavailable"), [bad], err)
                else:
                    self.assertError(resp, 400, "invalid_request")
                self.assertStatuses(free, "available")

    def test_bad_hold_requests(self):
        for body in ({}, {"seats": []}, {"seats": "x"}, {"seats": [1, 2]}, {"category": "floor"},
                     {"quantity": 2}, {"category": "floor", "quantity": 0},
                     {"category": "floor", "quantity": -1}, {"category": "floor", "quantity": "2"},
                     {"category": "nope", "quantity": 1}, [], "seats"):
            with self.subTest(body=body):
                resp = self.hold(self.user, self.eid, body=body)
                self.assertError(resp, 400, "invalid_request")
        self.assertEqual(self.sales(self.eid)["held"], 0)
        resp = self.hold(self.user, "no-such-event", seats=self.seats(("A", 1)))
        self.assertError(resp, 404, "not_found")
        resp = self.client.request("POST", API + "/events/%s/holds" % self.eid,
                                   {"seats": self.seats(("A", 1))})
        self.assertError(resp, 401, "unauthenticated")

    # ------------------------------------------------------------------ best available

    def test_best_available_adjacent_in_one_row(self):
        other = self.signup()
        # Row A keeps no block of 4 free seats: 1-3, 5-6, 8-10.
        self.buy(other, self.eid, seats=self.seats(("A", 4), ("A", 7)))
        resp = self.hold(self.user, self.eid, category="floor", quantity=4)
        self.assertEqual(resp.status, 201, resp)
        h = resp.body["hold"]
        self.assertHoldShape(h)
        rows = {s["row"] for s in h["seats"]}
        self.assertEqual(len(rows), 1, "best available must be in one row: %r" % h["seats"])
        numbers = sorted(s["number"] for s in h["seats"])
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 4)), "not adjacent: %r" % numbers)
        self.assertEqual(rows, {"B"})
        self.assertTrue(all(s["category"] == "floor" for s in h["seats"]))
        self.assertEqual(h["total"], 20000)
        st = self.statuses(self.eid)
        for s in h["seats"]:
            self.assertEqual(st[s["id"]], "held")
        # A party of 3 fits in row A: still adjacent in one row.
        resp = self.hold(other, self.eid, category="floor", quantity=3)
        self.assertEqual(resp.status, 201, resp)
        seats = resp.body["hold"]["seats"]
        self.assertEqual(len({s["row"] for s in seats}), 1, seats)
        numbers = sorted(s["number"] for s in seats)
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 3)), seats)

    def test_best_available_ga(self):
        resp = self.hold(self.user, self.eid, category="ga", quantity=3)
        self.assertEqual(resp.status, 201, resp)
        h = resp.body["hold"]
        self.assertEqual(len(h["seats"]), 3)
        self.assertEqual(len({s["id"] for s in h["seats"]}), 3)
        for s in h["seats"]:
            self.assertSeat(s)
            self.assertEqual((s["area"], s["category"]), ("Standing", "ga"))
        self.assertEqual(h["total"], 9000)

    def test_best_available_splits_when_no_row_fits(self):
        v = create_venue(self.client, self.admin, layout(rows=(("A", 3), ("B", 3))))
        ev = create_event(self.client, self.admin, v["id"], {"floor": 100})
        set_status(self.client, self.admin, ev["id"], "on_sale")
        resp = self.hold(self.user, ev["id"], category="floor", quantity=5)
        self.assertEqual(resp.status, 201, resp)
        self.assertEqual(len({s["id"] for s in resp.body["hold"]["seats"]}), 5)

    def test_sold_out_category(self):
        other = self.signup()
        self.assertEqual(self.hold(other, self.eid, category="ga", quantity=4).status, 201)
        resp = self.hold(self.user, self.eid, category="ga", quantity=2)
        self.assertError(resp, 409, "sold_out")
        self.assertEqual(self.sales(self.eid)["held"], 4, "a failed hold holds nothing")
        self.assertEqual(self.hold(self.user, self.eid, category="ga", quantity=1).status, 201)
        self.assertError(self.hold(self.signup(), self.eid, category="ga", quantity=1), 409, "sold_out")

    def test_too_many_seats(self):
        _, ev = self.new_event(max_tickets_per_order=3)
        ids = self.seat_ids(ev["id"], row="A")[:4]
        self.assertError(self.hold(self.user, ev["id"], seats=ids), 400, "too_many_seats")
        self.assertError(self.hold(self.user, ev["id"], category="floor", quantity=4), 400, "too_many_seats")
        self.assertError(self.hold(self.user, self.eid, category="floor", quantity=9), 400, "too_many_seats")
        self.assertEqual(self.sales(ev["id"])["held"], 0)
        self.assertEqual(self.hold(self.user, ev["id"], seats=ids[:3]).status, 201)

    # ------------------------------------------------------------------ sale windows

    def test_sale_not_open(self):
        ids = self.seat_ids(self.eid)[:1]
        _, scheduled = self.new_event(on_sale=False)
        self.assertError(self.hold(self.user, scheduled["id"], category="floor", quantity=1),
                         403, "sale_not_open")

        _, future = self.new_event(sale_starts_at=days_from_now(2))
        self.assertError(self.hold(self.user, future["id"], category="floor", quantity=1),
                         403, "sale_not_open")
        self.assertError(self.hold(self.user, future["id"], seats=self.seat_ids(future["id"])[:1]),
                         403, "sale_not_open")

        self.assertEqual(set_status(self.client, self.admin, self.eid, "paused").status, 200)
        self.assertError(self.hold(self.user, self.eid, seats=ids), 403, "sale_not_open")
        self.assertEqual(set_status(self.client, self.admin, self.eid, "on_sale").status, 200)
        self.assertEqual(self.hold(self.user, self.eid, seats=ids).status, 201)

        _, cancelled = self.new_event()
        self.assertEqual(set_status(self.client, self.admin, cancelled["id"], "cancelled").status, 200)
        self.assertError(self.hold(self.user, cancelled["id"], category="floor", quantity=1),
                         403, "sale_not_open")
        for e in (scheduled, future, cancelled):
            self.assertEqual(self.sales(e["id"])["held"], 0)

    def test_sale_opens_when_sale_starts_at_passes(self):
        _, ev = self.new_event(sale_starts_at=time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                            time.gmtime(int(time.time()) + 2)))
        self.assertError(self.hold(self.user, ev["id"], category="floor", quantity=1), 403, "sale_not_open")
        opens = parse_rfc3339(ev["sale_starts_at"])
        time.sleep(max(0.0, opens - time.time()) + 0.2)
        resp = self.hold(self.user, ev["id"], category="floor", quantity=1)
        self.assertEqual(resp.status, 201, resp)

    # ------------------------------------------------------------------ one hold per user

    def test_new_hold_releases_previous(self):
        first_ids = self.seats(("A", 1), ("A", 2))
        first = self.hold(self.user, self.eid, seats=first_ids).body["hold"]
        # A hold on another event does not touch this one.
        _, other_ev = self.new_event()
        self.assertEqual(self.hold(self.user, other_ev["id"], category="ga", quantity=1).status, 201)
        self.assertStatuses(first_ids, "held")

        second_ids = self.seats(("B", 1))
        resp = self.hold(self.user, self.eid, seats=second_ids)
        self.assertEqual(resp.status, 201, resp)
        second = resp.body["hold"]
        self.assertNotEqual(first["id"], second["id"])
        self.assertStatuses(first_ids, "available")
        self.assertStatuses(second_ids, "held")
        self.assertEqual(self.sales(self.eid)["held"], 1)
        self.assertError(self.order(self.user, first["id"]), 409, "hold_expired")
        self.assertEqual(self.sales(other_ev["id"])["held"], 1)
        # Best available replaces it the same way.
        resp = self.hold(self.user, self.eid, category="ga", quantity=2)
        self.assertEqual(resp.status, 201, resp)
        self.assertStatuses(second_ids, "available")
        self.assertEqual(self.sales(self.eid)["held"], 2)

    def test_failed_hold_keeps_previous(self):
        mine = self.seats(("A", 8))
        self.assertEqual(self.hold(self.user, self.eid, seats=mine).status, 201)
        other = self.signup()
        theirs = self.seats(("A", 9))
        self.assertEqual(self.hold(other, self.eid, seats=theirs).status, 201)
        resp = self.hold(self.user, self.eid, seats=theirs)
        self.assertError(resp, 409, "seats_unavailable")
        st = self.statuses(self.eid)
        self.assertEqual(st[theirs[0]], "held")
        # The previous hold may or may not survive a refused one; nothing else is held.
        self.assertIn(st[mine[0]], ("held", "available"))
        self.assertEqual(status_counts(st)["held"], 1 + (st[mine[0]] == "held"))


class SoldOutTests(SellingTestCase):

    def test_event_sold_out_and_back(self):
        v = create_venue(self.client, self.admin, {"name": "Tiny", "areas": [
            {"name": "Pit", "category": "ga", "capacity": 2}]})
        ev = create_event(self.client, self.admin, v["id"], {"ga": 1500})
        set_status(self.client, self.admin, ev["id"], "on_sale")
        a, b = self.signup(), self.signup()
        h = self.hold(a, ev["id"], category="ga", quantity=2)
        self.assertEqual(h.status, 201, h)
        got = self.call("GET", "/events/%s" % ev["id"]).body["event"]
        self.assertEqual((got["status"], got["available"]), ("sold_out", 0))
        self.assertError(self.hold(b, ev["id"], category="ga", quantity=1), 409, "sold_out")
        resp = self.hold(b, ev["id"], seats=[h.body["hold"]["seats"][0]["id"]])
        self.assertEqual(resp.status, 409, resp)
        self.assertIn(self.assertErrorBody(resp.body)["code"], ("sold_out", "seats_unavailable"))

        self.assertEqual(self.call("DELETE", "/holds/%s" % h.body["hold"]["id"], None, a).status, 204)
        got = self.call("GET", "/events/%s" % ev["id"]).body["event"]
        self.assertEqual((got["status"], got["available"]), ("on_sale", 2))
        self.assertEqual(self.hold(b, ev["id"], category="ga", quantity=1).status, 201)
        # Selling the last place makes it sold out again; a refund brings it back.
        o1 = self.buy(a, ev["id"], category="ga", quantity=1)
        got = self.call("GET", "/events/%s" % ev["id"]).body["event"]
        self.assertEqual(got["status"], "sold_out")
        self.assertEqual(self.call("POST", "/admin/orders/%s/refund" % o1["id"], None, self.admin).status, 200)
        got = self.call("GET", "/events/%s" % ev["id"]).body["event"]
        self.assertEqual((got["status"], got["available"]), ("on_sale", 1))


class ExpiryTests(SellingTestCase):

    def test_expired_hold_frees_seats_and_cannot_be_ordered(self):
        _, ev = self.new_event(hold_seconds=2)
        self.assertEqual(ev["hold_seconds"], 2)
        user = self.signup()
        ids = self.seat_ids(ev["id"], row="A")[:2] + self.seat_ids(ev["id"], category="ga")[:1]
        started = time.time()
        resp = self.hold(user, ev["id"], seats=ids)
        self.assertEqual(resp.status, 201, resp)
        h = resp.body["hold"]
        expires = parse_rfc3339(h["expires_at"])
        self.assertAlmostEqual(expires, started + 2, delta=1.5, msg=h["expires_at"])
        st = self.statuses(ev["id"])
        self.assertEqual([st[i] for i in ids], ["held"] * 3)

        deadline = expires + 1.0 + 0.5  # contract: within one second of expires_at (+ slack)
        freed_at = None
        while time.time() < deadline + 2.0:
            st = self.statuses(ev["id"])
            if all(st[i] == "available" for i in ids):
                freed_at = time.time()
                break
            time.sleep(0.1)
        self.assertIsNotNone(freed_at, "seats still held 3 s after expires_at: %r" % [st[i] for i in ids])
        self.assertLessEqual(freed_at, deadline, "seats freed %.2f s after expires_at" % (freed_at - expires))
        self.assertGreaterEqual(freed_at, expires - 0.5, "seats freed before expires_at")
        self.assertEqual(self.sales(ev["id"])["held"], 0)
        self.assertEqual(self.call("GET", "/events/%s" % ev["id"]).body["event"]["available"], 25)
        self.assertError(self.order(user, h["id"]), 409, "hold_expired")
        self.assertEqual(self.sales(ev["id"])["sold"], 0)
        # Someone else may hold them now.
        self.assertEqual(self.hold(self.signup(), ev["id"], seats=ids).status, 201)


if __name__ == "__main__":
    unittest.main()
