"""Black-box tests of seat availability as versioned deltas
(GET /events/{id}/availability[?since=VERSION]): one letter per seat in seat-map order,
then only the seats that changed since a version the client holds.

Run from the repository root:
    python3 -m unittest tests/integration/test_availability.py
"""

import hashlib
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import API  # noqa: E402
from selling import SellingTestCase, expect, layout  # noqa: E402

LETTER = {"available": "a", "held": "h", "sold": "s"}
# Answers may be reused for a quarter of a second; waiting past it makes a read fresh.
REUSE_S = 0.3


class AvailabilityTests(SellingTestCase):

    def availability(self, event_id, since=None):
        path = "/events/%s/availability" % event_id
        if since is not None:
            path += "?since=" + since
        return expect(self.call("GET", path), 200, "GET " + path)

    def test_full_form_matches_the_seat_map(self):
        _, ev = self.new_event(venue=layout(rows=(("A", 6), ("B", 6))), prices={"floor": 1000})
        fan = self.signup()
        self.buy(fan, ev["id"], category="floor", quantity=2)
        time.sleep(REUSE_S)
        full = self.availability(ev["id"])
        seats = self.seat_map(ev["id"])
        self.assertEqual(full["statuses"], "".join(LETTER[s["status"]] for s in seats))
        self.assertEqual(full["counts"], {"available": 10, "held": 0, "sold": 2})
        # The version is a hash of the state itself, so every instance names it alike.
        self.assertEqual(full["version"], hashlib.blake2b(full["statuses"].encode(),
                                                          digest_size=16).hexdigest())
        self.assertNotIn("changes", full)

    def test_delta_lists_exactly_the_seats_that_changed(self):
        _, ev = self.new_event(venue=layout(rows=(("A", 10),)), prices={"floor": 1000})
        seat_ids = [s["id"] for s in self.seat_map(ev["id"])]
        before = self.availability(ev["id"])
        self.assertEqual(before["statuses"], "a" * 10)

        unchanged = self.availability(ev["id"], since=before["version"])
        self.assertEqual(unchanged["changes"], [])
        self.assertEqual(unchanged["version"], before["version"])
        self.assertEqual(unchanged["since"], before["version"])
        self.assertNotIn("statuses", unchanged)

        fan = self.signup()
        expect(self.hold(fan, ev["id"], seats=[seat_ids[3]]), 201, "hold", "hold")
        time.sleep(REUSE_S)
        after_hold = self.availability(ev["id"], since=before["version"])
        self.assertEqual(after_hold["changes"], [[3, "h"]])
        self.assertEqual(after_hold["counts"], {"available": 9, "held": 1, "sold": 0})
        self.assertNotEqual(after_hold["version"], before["version"])

        other = self.signup()
        self.buy(other, ev["id"], seats=[seat_ids[7]])
        time.sleep(REUSE_S)
        # From the first version: both changes; from the second: only the sale.
        from_first = self.availability(ev["id"], since=before["version"])
        self.assertEqual(sorted(map(tuple, from_first["changes"])), [(3, "h"), (7, "s")])
        from_second = self.availability(ev["id"], since=after_hold["version"])
        self.assertEqual(from_second["changes"], [[7, "s"]])

    def test_unknown_version_answers_the_whole_state(self):
        _, ev = self.new_event(venue=layout(rows=(("A", 4),)), prices={"floor": 1000})
        answer = self.availability(ev["id"], since="0" * 32)
        self.assertEqual(answer["statuses"], "aaaa")
        self.assertNotIn("changes", answer)

    def test_many_changes_answer_the_whole_state(self):
        _, ev = self.new_event(venue=layout(rows=(("A", 8),)), prices={"floor": 1000},
                               max_tickets_per_order=8)
        before = self.availability(ev["id"])
        self.buy(self.signup(), ev["id"], category="floor", quantity=3)
        time.sleep(REUSE_S)
        # 3 of 8 seats changed: more than a quarter, so the letters are cheaper.
        answer = self.availability(ev["id"], since=before["version"])
        self.assertEqual(answer["statuses"].count("s"), 3)
        self.assertNotIn("changes", answer)

    def test_bad_requests(self):
        resp = self.call("GET", "/events/no-such-event/availability")
        self.assertEqual((resp.status, resp.body["error"]["code"]), (404, "not_found"))
        _, ev = self.new_event(venue=layout(rows=(("A", 2),)), prices={"floor": 1000})
        resp = self.call("GET", "/events/%s/availability?since=%s" % (ev["id"], "f" * 65))
        self.assertEqual((resp.status, resp.body["error"]["code"], resp.body["error"]["field"]),
                         (400, "invalid_request", "since"))
        resp = self.call("POST", "/events/%s/availability" % ev["id"], {})
        self.assertEqual(resp.status, 405)

    def test_versions_name_states_across_reads(self):
        # A version is a hash of the state: the same state read twice has the same one,
        # which is what lets a client poll any instance behind a balancer.
        _, ev = self.new_event(venue=layout(rows=(("A", 5),)), prices={"floor": 1000})
        first = self.availability(ev["id"])
        time.sleep(REUSE_S)
        second = self.availability(ev["id"])
        self.assertEqual(first["version"], second["version"])
        self.assertEqual(self.client.request("GET", API + "/events/%s/availability" % ev["id"])
                         .header("Cache-Control"), "public, max-age=1")


if __name__ == "__main__":
    unittest.main()
