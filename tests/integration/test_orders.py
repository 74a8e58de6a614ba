"""Black-box tests of orders (contract: "Orders"): paying for a hold, declined payments,
unusable holds, idempotency keys, listing and ownership.

Run from the repository root:
    python3 -m unittest tests/integration/test_orders.py
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import API  # noqa: E402
from selling import SellingTestCase, idem_key, order_body, parse_rfc3339  # noqa: E402


class OrderTests(SellingTestCase):

    def setUp(self):
        super().setUp()
        self.venue, self.event = self.new_event()
        self.eid = self.event["id"]
        self.pos = self.seats_by_position(self.eid)
        self.user = self.signup()

    def new_hold(self, user=None, seats=None, **kw):
        if seats is None and not kw:
            kw = {"category": "floor", "quantity": 1}
        resp = self.hold(user or self.user, self.eid, seats=seats, **kw)
        self.assertEqual(resp.status, 201, resp)
        return resp.body["hold"]

    def post_order(self, user, body, key=None, headers=None):
        hdrs = {} if key is None else {"Idempotency-Key": key}
        hdrs.update(headers or {})
        return self.call("POST", "/orders", body, user, headers=hdrs)

    # ------------------------------------------------------------------ success

    def test_order_created_with_tickets(self):
        ids = [self.pos[("A", 1)], self.pos[("A", 2)]] + self.seat_ids(self.eid, category="ga")[:1]
        h = self.new_hold(seats=ids)
        started = time.time()
        resp = self.order(self.user, h["id"])
        self.assertEqual(resp.status, 201, resp)
        o = resp.body["order"]
        self.assertOrderShape(o)
        self.assertEqual(o["event_id"], self.eid)
        self.assertEqual(o["status"], "confirmed")
        self.assertEqual((o["total"], o["currency"]), (h["total"], "EUR"))
        self.assertEqual(o["total"], 13000)
        self.assertAlmostEqual(parse_rfc3339(o["created_at"]), started, delta=5)
        self.assertEqual(len(o["tickets"]), 3)
        hold_seats = {s["id"]: s for s in h["seats"]}
        self.assertEqual(sorted(t["seat"]["id"] for t in o["tickets"]), sorted(ids))
        self.assertEqual(len({t["id"] for t in o["tickets"]}), 3)
        self.assertEqual(len({t["code"] for t in o["tickets"]}), 3)
        for t in o["tickets"]:
            self.assertEqual(t["status"], "valid")
            expected = {k: v for k, v in hold_seats[t["seat"]["id"]].items() if k != "status"}
            self.assertEqual({k: v for k, v in t["seat"].items() if k != "status"}, expected)

        st = self.statuses(self.eid)
        self.assertEqual([st[i] for i in ids], ["sold"] * 3)
        s = self.sales(self.eid)
        self.assertSalesConsistent(s)
        self.assertEqual((s["sold"], s["held"], s["orders"], s["revenue"]), (3, 0, 1, 13000), s)
        self.assertEqual(self.call("GET", "/events/%s" % self.eid).body["event"]["available"], 22)

        got = self.call("GET", "/orders/%s" % o["id"], None, self.user)
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.body["order"], o)
        listed = self.call("GET", "/orders", None, self.user)
        self.assertEqual(listed.status, 200, listed)
        self.assertEqual(listed.body["orders"], [o])
        # The hold is used up.
        self.assertError(self.order(self.user, h["id"]), 409, "hold_expired")
        self.assertEqual(self.sales(self.eid)["orders"], 1)

    def test_order_with_cookie_needs_csrf(self):
        h = self.new_hold()
        body = order_body(h["id"])
        resp = self.client.request("POST", API + "/orders", body, cookie=self.user.cookie,
                                   headers={"Idempotency-Key": idem_key()})
        self.assertError(resp, 403, "csrf_failed")
        resp = self.client.request("POST", API + "/orders", body, cookie=self.user.cookie,
                                   csrf=self.user.csrf, headers={"Idempotency-Key": idem_key()})
        self.assertEqual(resp.status, 201, resp)

    # ------------------------------------------------------------------ payment

    def test_declined_payment_keeps_the_hold(self):
        ids = [self.pos[("B", 4)], self.pos[("B", 5)]]
        h = self.new_hold(seats=ids)
        key = idem_key()
        declined = self.order(self.user, h["id"], token="tok_declined", key=key)
        self.assertError(declined, 402, "payment_declined")
        got = self.call("GET", "/holds/%s" % h["id"], None, self.user)
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.body["hold"], h, "the hold stays as it was")
        st = self.statuses(self.eid)
        self.assertEqual([st[i] for i in ids], ["held", "held"])
        s = self.sales(self.eid)
        self.assertEqual((s["sold"], s["held"], s["orders"], s["revenue"]), (0, 2, 0, 0), s)
        self.assertEqual(self.call("GET", "/orders", None, self.user).body["orders"], [])
        # The same request again answers the same; the key cannot be reused for another body.
        again = self.order(self.user, h["id"], token="tok_declined", key=key)
        self.assertEqual((again.status, again.body), (declined.status, declined.body))
        self.assertError(self.order(self.user, h["id"], token="tok_visa", key=key), 409,
                         "idempotency_key_reused")
        # A new attempt with a good card succeeds on the same hold.
        ok = self.order(self.user, h["id"], token="tok_visa")
        self.assertEqual(ok.status, 201, ok)
        self.assertEqual(sorted(t["seat"]["id"] for t in ok.body["order"]["tickets"]), sorted(ids))
        s = self.sales(self.eid)
        self.assertEqual((s["sold"], s["held"], s["orders"]), (2, 0, 1), s)

    # ------------------------------------------------------------------ unusable holds

    def test_unknown_hold(self):
        self.assertError(self.order(self.user, "no-such-hold"), 409, "hold_expired")
        self.assertError(self.order(self.user, "A" * 40), 409, "hold_expired")

    def test_other_users_hold(self):
        other = self.signup()
        h = self.new_hold(user=other, seats=[self.pos[("A", 9)]])
        self.assertError(self.order(self.user, h["id"]), 409, "hold_expired")
        self.assertEqual(self.sales(self.eid)["sold"], 0)
        self.assertEqual(self.statuses(self.eid)[self.pos[("A", 9)]], "held")
        self.assertEqual(self.call("GET", "/holds/%s" % h["id"], None, other).status, 200)
        ok = self.order(other, h["id"])
        self.assertEqual(ok.status, 201, ok)

    def test_released_hold(self):
        h = self.new_hold()
        self.assertEqual(self.call("DELETE", "/holds/%s" % h["id"], None, self.user).status, 204)
        self.assertError(self.order(self.user, h["id"]), 409, "hold_expired")

    # ------------------------------------------------------------------ idempotency

    def test_replay_answers_the_same_and_sells_once(self):
        h = self.new_hold(category="floor", quantity=2)
        key = idem_key()
        first = self.order(self.user, h["id"], key=key)
        self.assertEqual(first.status, 201, first)
        before = self.sales(self.eid)
        for _ in range(3):
            again = self.order(self.user, h["id"], key=key)
            self.assertEqual(again.status, first.status, again)
            self.assertEqual(again.body, first.body)
        after = self.sales(self.eid)
        self.assertEqual(after, before)
        self.assertEqual(after["orders"], 1)
        self.assertEqual(len(self.call("GET", "/orders", None, self.user).body["orders"]), 1)

    def test_key_reused_with_another_body(self):
        h1 = self.new_hold(seats=[self.pos[("A", 5)]])
        key = idem_key()
        self.assertEqual(self.order(self.user, h1["id"], key=key).status, 201)
        h2 = self.new_hold(seats=[self.pos[("A", 6)]])
        self.assertError(self.order(self.user, h2["id"], key=key), 409, "idempotency_key_reused")
        self.assertEqual(self.statuses(self.eid)[self.pos[("A", 6)]], "held")
        self.assertEqual(self.sales(self.eid)["orders"], 1)
        # Another payment object is another body too.
        body = order_body(h1["id"])
        body["payment"]["token"] = "tok_declined"
        self.assertError(self.post_order(self.user, body, key=key), 409, "idempotency_key_reused")

    def test_same_key_by_another_user_is_independent(self):
        key = idem_key()
        h1 = self.new_hold(seats=[self.pos[("B", 8)]])
        first = self.order(self.user, h1["id"], key=key)
        self.assertEqual(first.status, 201, first)
        other = self.signup()
        h2 = self.new_hold(user=other, seats=[self.pos[("B", 9)]])
        second = self.order(other, h2["id"], key=key)
        self.assertEqual(second.status, 201, second)
        self.assertNotEqual(first.body["order"]["id"], second.body["order"]["id"])
        self.assertEqual(self.sales(self.eid)["orders"], 2)
        # The key still names the first user's own request.
        replay = self.order(self.user, h2["id"], key=key)
        self.assertError(replay, 409, "idempotency_key_reused")

    def test_idempotency_key_required_and_well_formed(self):
        h = self.new_hold()
        body = order_body(h["id"])
        self.assertError(self.post_order(self.user, body), 400, "invalid_request")
        for key in ("", "k" * 256, "bad\x01key", "caf\u00e9"):
            with self.subTest(key=key):
                resp = self.post_order(self.user, body, key=key)
                self.assertEqual(resp.status, 400, resp)
                self.assertErrorBody(resp.body if isinstance(resp.body, dict) else None)
        self.assertEqual(self.sales(self.eid)["orders"], 0)
        self.assertEqual(self.statuses(self.eid)[h["seats"][0]["id"]], "held")
        resp = self.post_order(self.user, body, key="k" * 255)
        self.assertEqual(resp.status, 201, resp)

    def test_bad_order_bodies(self):
        h = self.new_hold()
        for body in ({}, {"payment": {"method": "test", "token": "tok_visa"}}, {"hold_id": h["id"]},
                     {"hold_id": 5, "payment": {"method": "test", "token": "tok_visa"}},
                     {"hold_id": h["id"], "payment": {"method": "card", "token": "tok_visa"}},
                     {"hold_id": h["id"], "payment": {"method": "test"}},
                     {"hold_id": h["id"], "payment": "tok_visa"}, []):
            with self.subTest(body=body):
                self.assertError(self.post_order(self.user, body, key=idem_key()), 400, "invalid_request")
        resp = self.client.request("POST", API + "/orders", b'{"hold_id": ', token=self.user.token,
                                   headers={"Idempotency-Key": idem_key()})
        self.assertError(resp, 400, "invalid_request")
        self.assertEqual(self.sales(self.eid)["orders"], 0)
        resp = self.client.request("POST", API + "/orders", order_body(h["id"]),
                                   headers={"Idempotency-Key": idem_key()})
        self.assertError(resp, 401, "unauthenticated")

    # ------------------------------------------------------------------ reading

    def test_list_newest_first_and_ownership(self):
        o1 = self.buy(self.user, self.eid, seats=[self.pos[("A", 3)]])
        time.sleep(1.1)  # created_at has whole seconds: keep the two orders apart
        _, other_ev = self.new_event()
        o2 = self.buy(self.user, other_ev["id"], category="ga", quantity=2)
        listed = self.call("GET", "/orders", None, self.user)
        self.assertEqual(listed.status, 200, listed)
        self.assertEqual([o["id"] for o in listed.body["orders"]], [o2["id"], o1["id"]])
        for o in listed.body["orders"]:
            self.assertOrderShape(o)

        other = self.signup()
        self.assertEqual(self.call("GET", "/orders", None, other).body["orders"], [])
        self.assertError(self.call("GET", "/orders/%s" % o1["id"], None, other), 404, "not_found")
        self.assertError(self.call("GET", "/orders/%s" % o1["id"], None, self.staff), 404, "not_found")
        self.assertError(self.call("GET", "/orders/no-such-order", None, self.user), 404, "not_found")
        self.assertError(self.call("GET", "/orders/%s" % o1["id"]), 401, "unauthenticated")
        self.assertError(self.call("GET", "/orders"), 401, "unauthenticated")
        by_admin = self.call("GET", "/orders/%s" % o1["id"], None, self.admin)
        self.assertEqual(by_admin.status, 200, by_admin)
        self.assertEqual(by_admin.body["order"], o1)


if __name__ == "__main__":
    unittest.main()
