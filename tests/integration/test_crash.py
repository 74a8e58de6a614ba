"""Black-box crash test of orders: clients stream holds and orders, the server is killed
with SIGKILL mid-flight and restarted on the same data directory. Every order answered
201 must still be there with its tickets; orders left pending by the crash are resolved
by the repair sweep; retrying an unanswered request with its Idempotency-Key answers 201
or a 4xx, never a 5xx; and the seat map's sold count equals the confirmed tickets.

Run from the repository root:
    python3 -m unittest tests/integration/test_crash.py
"""

import collections
import http.client
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import traceback
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Server  # noqa: E402
from selling import (  # noqa: E402
    add_user_with_role, api, create_event, create_venue, hold, idem_key, keep_tmp_dirs, layout, open_sale,
    order_body, relogin, row_labels, sales, signup_many, status_counts, statuses,
)

CLIENTS = 16
SERVER_ENV = {
    "BOXOFFICE_PASSWORD_HASH_COST": "min",
    "BOXOFFICE_TEST_PAYMENT_LATENCY_MS": "50",
    "BOXOFFICE_REPAIR_MIN_AGE_MS": "500",
    "BOXOFFICE_REPAIR_INTERVAL_MS": "500",
}
HOLD_SECONDS = 4


class CrashTests(unittest.TestCase):

    def start_server(self, workdir):
        server = Server(SERVER_ENV, workdir=workdir)
        self.addCleanup(server.close)
        server.start()
        return server

    def test_kill_mid_flight_then_restart(self):
        workdir = tempfile.mkdtemp(prefix="boxoffice-it-crash-")
        if not keep_tmp_dirs():
            self.addCleanup(shutil.rmtree, workdir, True)
        first = self.start_server(workdir)
        client = first.client()
        admin = add_user_with_role(first, "admin")
        venue = create_venue(client, admin, layout(rows=[(r, 50) for r in row_labels(40)]))
        ev = create_event(client, admin, venue["id"], {"floor": 4200}, hold_seconds=HOLD_SECONDS)
        eid = open_sale(client, admin, ev["id"])["id"]
        client.close()
        users = signup_many(first, CLIENTS, prefix="crash")

        lock = threading.Lock()
        attempts = []  # {"user", "key", "body", "status", "answer"}; status None = no answer
        thread_errors = []
        sold_out = []

        def stream(i):
            c = first.client()
            rng = random.Random(i)
            try:
                while True:
                    try:
                        h = hold(c, users[i], eid, category="floor", quantity=rng.randint(1, 2))
                    except (OSError, http.client.HTTPException):
                        return  # the server is gone
                    if h.status == 409 and isinstance(h.body, dict) \
                            and h.body.get("error", {}).get("code") == "sold_out":
                        sold_out.append(i)
                        return
                    if h.status != 201:
                        raise AssertionError("hold before the crash: %r" % (h,))
                    body = order_body(h.body["hold"]["id"])
                    rec = {"user": i, "key": idem_key(), "body": body, "status": None, "answer": None,
                           "hold": h.body["hold"]}
                    with lock:
                        attempts.append(rec)
                    try:
                        o = api(c, "POST", "/orders", body, users[i], headers={"Idempotency-Key": rec["key"]})
                    except (OSError, http.client.HTTPException):
                        return  # no answer: retried after the restart
                    rec["status"], rec["answer"] = o.status, o.body
                    if o.status != 201 or not isinstance(o.body, dict) or "order" not in o.body:
                        raise AssertionError("order before the crash: %r" % (o,))
            except Exception:
                thread_errors.append(traceback.format_exc())
            finally:
                c.close()

        threads = [threading.Thread(target=stream, args=(i,), daemon=True) for i in range(CLIENTS)]
        started = time.monotonic()
        for t in threads:
            t.start()
        # About two seconds of traffic, and at least some confirmed orders, then SIGKILL.
        while time.monotonic() - started < 2.0 or \
                sum(1 for a in attempts if a["status"] == 201) < 20:
            if time.monotonic() - started > 15 or thread_errors or sold_out:
                break
            time.sleep(0.05)
        in_flight = sum(1 for a in attempts if a["status"] is None)
        first.kill()
        killed_at = time.monotonic()
        for t in threads:
            t.join(30)
        self.assertEqual(thread_errors, [], "failures before the crash")
        self.assertEqual(sold_out, [], "the venue is too small for the traffic")
        self.assertLess(first.returncode, 0, "the server was not killed by a signal")

        confirmed_before = [a for a in attempts if a["status"] == 201]
        unanswered = [a for a in attempts if a["status"] is None]
        self.assertGreaterEqual(len(confirmed_before), 20)
        print("\ncrash test: %d orders answered 201, %d unanswered (%d in flight at the kill)"
              % (len(confirmed_before), len(unanswered), in_flight), file=sys.stderr)

        # ---------------------------------------------------------------- restart
        second = self.start_server(workdir)
        c = second.client(timeout=30)
        self.addCleanup(c.close)
        relogin(c, admin)
        for u in users:
            relogin(c, u)

        # Every order answered 201 survived, with its tickets.
        for a in confirmed_before:
            o = a["answer"]["order"]
            got = api(c, "GET", "/orders/%s" % o["id"], None, users[a["user"]])
            self.assertEqual(got.status, 200, "order %s answered 201 before the crash: %r" % (o["id"], got))
            g = got.body["order"]
            self.assertEqual((g["id"], g["status"], g["total"], g["event_id"]),
                             (o["id"], "confirmed", o["total"], eid))
            self.assertEqual(sorted((t["id"], t["seat"]["id"], t["code"]) for t in g["tickets"]),
                             sorted((t["id"], t["seat"]["id"], t["code"]) for t in o["tickets"]))

        def confirmed_orders():
            out = []
            for u in users:
                r = api(c, "GET", "/orders", None, u)
                self.assertEqual(r.status, 200, r)
                out.extend(o for o in r.body["orders"] if o["event_id"] == eid)
            return out

        # Wait for the repair: nothing held (plain holds expire after HOLD_SECONDS, pending
        # orders are confirmed or released) and the seat map agrees with the orders.
        deadline = time.monotonic() + HOLD_SECONDS + 10
        while True:
            orders = confirmed_orders()
            st = status_counts(statuses(c, eid))
            s = sales(c, admin, eid)
            tickets = sum(len(o["tickets"]) for o in orders if o["status"] == "confirmed")
            pending = [o for o in orders if o["status"] not in ("confirmed", "refunded")]
            settled = s["held"] == 0 and st["held"] == 0 and st["sold"] == tickets and not pending
            if settled or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        settled_after = time.monotonic() - killed_at
        self.assertTrue(settled, "not settled %.1f s after the kill: seat map %r, sales %r, "
                        "confirmed tickets %d, orders not confirmed/refunded %r"
                        % (time.monotonic() - killed_at, st, s, tickets, pending))

        # Unanswered requests: a retry answers 201 (confirmed by the repair) or a 4xx.
        listed_ids = {o["id"] for o in orders}
        retried_ids = set()
        retry_codes = collections.Counter()
        for a in unanswered:
            r = api(c, "POST", "/orders", a["body"], users[a["user"]], headers={"Idempotency-Key": a["key"]})
            self.assertLess(r.status, 500, "retry of an unanswered order request: %r" % (r,))
            if r.status == 201:
                retried_ids.add(r.body["order"]["id"])
                self.assertEqual(r.body["order"]["status"], "confirmed")
            else:
                self.assertGreaterEqual(r.status, 400, r)
                self.assertIsInstance(r.body, dict, r)
                self.assertIn("error", r.body, r)
                retry_codes["%d %s" % (r.status, r.body["error"].get("code"))] += 1
            again = api(c, "POST", "/orders", a["body"], users[a["user"]], headers={"Idempotency-Key": a["key"]})
            self.assertEqual((again.status, again.body), (r.status, r.body), "a second retry answers the same")
        print("crash test: settled %.1f s after the kill; retries of unanswered requests: "
              "%d answered 201, others %s" % (settled_after, len(retried_ids), dict(retry_codes)),
              file=sys.stderr)
        # Requests answered before the crash replay the same answer.
        for a in confirmed_before[:10]:
            r = api(c, "POST", "/orders", a["body"], users[a["user"]], headers={"Idempotency-Key": a["key"]})
            self.assertEqual(r.status, 201, "replay after the restart: %r" % (r,))
            self.assertEqual(r.body["order"]["id"], a["answer"]["order"]["id"])

        # Final state: no seat sold twice; sold count equals confirmed tickets.
        orders = confirmed_orders()
        confirmed = [o for o in orders if o["status"] == "confirmed"]
        final_ids = {o["id"] for o in confirmed}
        self.assertLessEqual(listed_ids, {o["id"] for o in orders})
        self.assertLessEqual(retried_ids, final_ids, "orders answered 201 on retry must be listed")
        self.assertLessEqual({a["answer"]["order"]["id"] for a in confirmed_before}, final_ids)
        seen = {}
        for o in confirmed:
            for t in o["tickets"]:
                self.assertNotIn(t["seat"]["id"], seen, "seat %s in confirmed orders %s and %s"
                                 % (t["seat"]["id"], seen.get(t["seat"]["id"]), o["id"]))
                seen[t["seat"]["id"]] = o["id"]
        st = statuses(c, eid)
        sold_ids = {k for k, v in st.items() if v == "sold"}
        self.assertEqual(sold_ids, set(seen), "seat map sold vs tickets of confirmed orders")
        s = sales(c, admin, eid)
        self.assertEqual((s["sold"], s["held"]), (len(seen), 0), s)
        self.assertEqual(s["orders"], len(confirmed), s)
        self.assertTrue(second.alive())


if __name__ == "__main__":
    unittest.main()
