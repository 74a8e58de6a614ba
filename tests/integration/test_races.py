"""Black-box concurrency tests of holds and orders: many clients, each its own user on its
own keep-alive connection, competing for the same seats, buying an event out while a
reader checks the counts, and replaying one Idempotency-Key at once.

Run from the repository root:
    python3 -m unittest tests/integration/test_races.py
"""

import collections
import json
import os
import random
import sys
import threading
import traceback
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from selling import (  # noqa: E402
    SellingTestCase, api, create_event, create_venue, hold, idem_key, layout, open_sale, order,
    order_body, row_labels, seat_map, signup_many, status_counts,
)

CLIENTS = 64


def run_threads(n, target, timeout=120):
    """Runs target(i) in n threads; returns the exceptions raised (with tracebacks)."""
    errors = []

    def wrap(i):
        try:
            target(i)
        except Exception:  # collected and reported by the caller
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=wrap, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    stuck = sum(t.is_alive() for t in threads)
    if stuck:
        errors.append("%d threads still running after %ds" % (stuck, timeout))
    return errors


class RaceTests(SellingTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyers = signup_many(cls.server, CLIENTS, prefix="racer")

    def clients(self, n, timeout=30.0):
        """n keep-alive clients, each already connected (by one GET)."""
        out = []
        for _ in range(n):
            c = self.server.client(timeout=timeout)
            self.addCleanup(c.close)
            self.assertEqual(c.get("/healthz").status, 200)
            out.append(c)
        return out

    def event_on(self, venue_layout, prices):
        v = create_venue(self.client, self.admin, venue_layout)
        ev = create_event(self.client, self.admin, v["id"], prices)
        return open_sale(self.client, self.admin, ev["id"])

    # ------------------------------------------------------------------ same seats

    def test_64_clients_hold_the_same_4_seats(self):
        ev = self.event_on(layout(rows=[(r, 10) for r in "ABCD"]), {"floor": 1000})
        seats = seat_map(self.client, ev["id"])
        wanted = [s["id"] for s in seats if s["row"] == "B" and 4 <= s["number"] <= 7]
        self.assertEqual(len(wanted), 4)
        clients = self.clients(CLIENTS)
        barrier = threading.Barrier(CLIENTS, timeout=30)
        results = [None] * CLIENTS

        def attempt(i):
            mine = list(wanted)
            random.Random(i).shuffle(mine)  # different orders, to provoke lock-order trouble
            barrier.wait()
            results[i] = hold(clients[i], self.buyers[i], ev["id"], seats=mine)

        errors = run_threads(CLIENTS, attempt)
        self.assertEqual(errors, [])
        winners = [r for r in results if r.status == 201]
        losers = [r for r in results if r.status != 201]
        self.assertEqual(len(winners), 1, "expected exactly one 201, got %d: %r"
                         % (len(winners), [r.status for r in results]))
        self.assertEqual(sorted(s["id"] for s in winners[0].body["hold"]["seats"]), sorted(wanted))
        for r in losers:
            err = self.assertError(r, 409, "seats_unavailable")
            self.assertTrue(err.get("unavailable"), err)
            self.assertLessEqual(set(err["unavailable"]), set(wanted), err)
        st = {s["id"]: s["status"] for s in seat_map(self.client, ev["id"])}
        self.assertEqual({k for k, v in st.items() if v == "held"}, set(wanted))
        self.assertEqual(status_counts(st), {"available": 36, "held": 4, "sold": 0})
        s = self.sales(ev["id"])
        self.assertEqual((s["held"], s["available"], s["sold"]), (4, 36, 0), s)

    def test_64_clients_overlapping_holds_are_all_or_nothing(self):
        # Each asks for the same 4 seats plus one seat of its own: the losers must hold
        # nothing at all, not even their own seat.
        ev = self.event_on(layout(rows=[(r, 10) for r in "ABCDEFG"]), {"floor": 1000})
        seats = seat_map(self.client, ev["id"])
        shared = [s["id"] for s in seats if s["row"] == "A" and s["number"] <= 4]
        own = [s["id"] for s in seats if s["id"] not in shared][:CLIENTS]
        clients = self.clients(CLIENTS)
        barrier = threading.Barrier(CLIENTS, timeout=30)
        results = [None] * CLIENTS

        def attempt(i):
            mine = shared + [own[i]]
            random.Random(1000 + i).shuffle(mine)
            barrier.wait()
            results[i] = hold(clients[i], self.buyers[i], ev["id"], seats=mine)

        self.assertEqual(run_threads(CLIENTS, attempt), [])
        winners = [i for i, r in enumerate(results) if r.status == 201]
        self.assertEqual(len(winners), 1, [r.status for r in results])
        for i, r in enumerate(results):
            if i != winners[0]:
                err = self.assertError(r, 409, "seats_unavailable")
                self.assertNotIn(own[i], err.get("unavailable", []), err)
        st = {s["id"]: s["status"] for s in seat_map(self.client, ev["id"])}
        self.assertEqual({k for k, v in st.items() if v == "held"}, set(shared + [own[winners[0]]]))
        self.assertEqual(self.sales(ev["id"])["held"], 5)

    # ------------------------------------------------------------------ buy out

    def test_64_clients_buy_until_sold_out(self):
        rows = [(label, 20) for label in row_labels(12)]
        ev = self.event_on(layout(rows=rows, areas=(("Standing", "ga", 60),)), {"floor": 5000, "ga": 3000})
        eid = ev["id"]
        capacity = 300
        self.assertEqual(ev["capacity"], capacity)
        all_ids = {s["id"] for s in seat_map(self.client, eid)}
        self.assertEqual(len(all_ids), capacity)
        clients = self.clients(CLIENTS)
        lock = threading.Lock()
        orders = []        # every 201 order
        unexpected = []    # anything the contract does not allow here
        stop = threading.Event()
        violations = []
        reads = [0]

        def reader():
            c = self.server.client(timeout=30)
            last_sold = last_orders = last_map_sold = 0
            try:
                while not stop.is_set():
                    m = api(c, "GET", "/events/%s/seats" % eid)
                    s = api(c, "GET", "/admin/events/%s/sales" % eid, None, self.admin)
                    with lock:
                        reads[0] += 1
                    if m.status != 200 or s.status != 200:
                        violations.append("reader got %r / %r" % (m, s))
                        continue
                    seats = m.body["seats"]
                    counts = status_counts(seats)
                    if len(seats) != capacity or sum(counts.values()) != capacity \
                            or set(counts) != {"available", "held", "sold"}:
                        violations.append("seat map: %d seats, counts %r" % (len(seats), counts))
                    if counts["sold"] < last_map_sold:
                        violations.append("seat map sold went down: %d -> %d" % (last_map_sold, counts["sold"]))
                    last_map_sold = counts["sold"]
                    b = s.body
                    if b["sold"] + b["held"] + b["available"] != capacity or b["capacity"] != capacity:
                        violations.append("sales: sold + held + available != capacity: %r" % b)
                    if b["sold"] < last_sold or b["orders"] < last_orders:
                        violations.append("sales went down: sold %d -> %d, orders %d -> %d"
                                          % (last_sold, b["sold"], last_orders, b["orders"]))
                    last_sold, last_orders = b["sold"], b["orders"]
            except Exception:
                violations.append(traceback.format_exc())
            finally:
                c.close()

        def buyer(i):
            c, user = clients[i], self.buyers[i]
            rng = random.Random(i)
            exhausted, single = set(), set()
            while True:
                left = [cat for cat in ("floor", "ga") if cat not in exhausted]
                if not left:
                    return
                cat = rng.choice(left)
                quantity = 1 if cat in single else rng.randint(1, 4)
                h = hold(c, user, eid, category=cat, quantity=quantity)
                if h.status == 409 and isinstance(h.body, dict) \
                        and h.body.get("error", {}).get("code") == "sold_out":
                    (exhausted if quantity == 1 else single).add(cat)
                    continue
                if h.status != 201:
                    with lock:
                        unexpected.append(("hold %s x%d" % (cat, quantity), h))
                    return
                held = h.body["hold"]
                if len(held["seats"]) != quantity:
                    with lock:
                        unexpected.append(("hold of %d seats" % quantity, h))
                o = order(c, user, held["id"])
                if o.status != 201 or not isinstance(o.body, dict) or "order" not in o.body:
                    with lock:
                        unexpected.append(("order of hold %s" % held["id"], o))
                    return
                with lock:
                    orders.append((i, held, o.body["order"]))

        readers = [threading.Thread(target=reader, daemon=True) for _ in range(2)]
        for t in readers:
            t.start()
        errors = run_threads(CLIENTS, buyer, timeout=150)
        stop.set()
        for t in readers:
            t.join(30)

        self.assertEqual(errors, [])
        self.assertEqual(unexpected, [], "answers outside the contract")
        self.assertEqual(violations, [], "inconsistent reads during the race")
        self.assertGreater(reads[0], 0)
        print("\nbuy-out: %d orders, %d consistent reads during the race" % (len(orders), reads[0]),
              file=sys.stderr)

        seen = {}
        for i, held, o in orders:
            self.assertEqual(o["status"], "confirmed")
            self.assertEqual(sorted(t["seat"]["id"] for t in o["tickets"]),
                             sorted(s["id"] for s in held["seats"]))
            for t in o["tickets"]:
                sid = t["seat"]["id"]
                self.assertNotIn(sid, seen, "seat %s in orders %s and %s" % (sid, seen.get(sid), o["id"]))
                seen[sid] = o["id"]
        self.assertEqual(len(seen), capacity, "tickets sold: %d of %d" % (len(seen), capacity))
        self.assertEqual(set(seen), all_ids)

        s = self.sales(eid)
        self.assertEqual(s["sold"], len(seen), s)
        self.assertEqual(s["orders"], len(orders), s)
        self.assertEqual((s["held"], s["available"]), (0, 0), s)
        self.assertEqual(s["revenue"], sum(o["total"] for _, _, o in orders), s)
        self.assertEqual(status_counts(self.statuses(eid)), {"available": 0, "held": 0, "sold": capacity})
        event = self.call("GET", "/events/%s" % eid).body["event"]
        self.assertEqual((event["status"], event["available"]), ("sold_out", 0))
        # Every buyer's own list holds exactly the orders it was answered.
        listed = 0
        for i, user in enumerate(self.buyers):
            mine = self.call("GET", "/orders", None, user).body["orders"]
            listed += sum(1 for o in mine if o["event_id"] == eid)
        self.assertEqual(listed, len(orders))

    # ------------------------------------------------------------------ idempotency

    def test_16_concurrent_replays_of_one_key(self):
        n = 16
        ev = self.event_on(layout(rows=(("A", 10),)), {"floor": 2500})
        user = self.buyers[0]
        h = hold(self.client, user, ev["id"], category="floor", quantity=3)
        self.assertEqual(h.status, 201, h)
        body = order_body(h.body["hold"]["id"])
        key = idem_key()
        clients = self.clients(n)
        barrier = threading.Barrier(n, timeout=30)
        results = [None] * n

        def attempt(i):
            barrier.wait()
            results[i] = api(clients[i], "POST", "/orders", body, user, headers={"Idempotency-Key": key})

        self.assertEqual(run_threads(n, attempt), [])
        answers = {(r.status, json.dumps(r.body, sort_keys=True)) for r in results}
        ids = {(r.body.get("order") or {}).get("id") if isinstance(r.body, dict) else None
               for r in results if 200 <= r.status < 300}
        self.assertEqual(len(ids), 1, "order ids across the 2xx answers: %r; statuses %r"
                         % (ids, [r.status for r in results]))
        tally = collections.Counter(
            (r.status, (r.body.get("error") or {}).get("code") if isinstance(r.body, dict) else None)
            for r in results)
        self.assertEqual(len(answers), 1, "answers differ: %s; first two: %r"
                         % (dict(tally), sorted(answers)[:2]))
        self.assertEqual(results[0].status, 201, results[0])
        s = self.sales(ev["id"])
        self.assertEqual((s["orders"], s["sold"], s["held"]), (1, 3, 0), s)
        mine = [o for o in self.call("GET", "/orders", None, user).body["orders"] if o["event_id"] == ev["id"]]
        self.assertEqual([o["id"] for o in mine], list(ids))


if __name__ == "__main__":
    unittest.main()
