"""Production backend only: several stateless instances on one MariaDB and one Redis.

- a session made on one instance works on the other, and log-out revokes it on both;
- a hold made through one instance is seen (and can be released) through the other;
- a sale opened through one instance sells at once through the other, whose catalog cache
  still held the event as not on sale;
- 64 clients split across both instances race for the same seats: exactly one wins.

Runs with BOXOFFICE_TEST_BACKEND=production (scripts/test registers it only there).
"""
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import API, Server, backend_name, signup_user  # noqa: E402
from selling import (  # noqa: E402
    add_user_with_role, get_event, hold, layout, new_event, open_sale, signup_many)


class TwoInstances(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if backend_name() != "production":
            raise RuntimeError("this suite needs BOXOFFICE_TEST_BACKEND=production")
        env = {"BOXOFFICE_PASSWORD_HASH_COST": "min"}
        cls.a = Server(env=env).start()
        cls.b = Server(env=env, share_backend_with=cls.a.dir).start()
        cls.admin = add_user_with_role(cls.a, "admin")

    @classmethod
    def tearDownClass(cls):
        cls.b.stop()
        cls.a.stop()

    def test_session_from_one_instance_works_on_the_other_and_logout_revokes_both(self):
        on_a, on_b = self.a.client(), self.b.client()
        user = signup_user(on_a)
        self.assertEqual(on_b.request("GET", API + "/me", token=user.token).status, 200)
        self.assertEqual(on_b.request("POST", API + "/auth/logout", token=user.token).status, 204)
        self.assertEqual(on_a.request("GET", API + "/me", token=user.token).status, 401)
        self.assertEqual(on_b.request("GET", API + "/me", token=user.token).status, 401)

    def test_hold_made_on_one_instance_is_seen_and_released_on_the_other(self):
        on_a, on_b = self.a.client(), self.b.client()
        _, event = new_event(on_a, self.admin)
        user = signup_user(on_a)
        made = hold(on_a, user, event["id"], category="floor", quantity=2)
        self.assertEqual(made.status, 201, made)
        hold_id = made.body["hold"]["id"]
        seen = on_b.request("GET", API + "/holds/" + hold_id, token=user.token)
        self.assertEqual(seen.status, 200, seen)
        self.assertEqual(seen.body["hold"]["seats"], made.body["hold"]["seats"])
        self.assertEqual(on_b.request("DELETE", API + "/holds/" + hold_id, token=user.token).status,
                         204)
        seats = on_a.request("GET", API + "/events/%s/seats" % event["id"]).body["seats"]
        self.assertTrue(all(seat["status"] == "available" for seat in seats))

    def test_a_sale_opened_on_one_instance_sells_at_once_on_the_other(self):
        on_a, on_b = self.a.client(), self.b.client()
        _, event = new_event(on_a, self.admin, on_sale=False)
        # B has the event in its catalog cache, not on sale yet.
        self.assertNotEqual(get_event(on_b, event["id"])["status"], "on_sale")
        open_sale(on_a, self.admin, event["id"])
        user = signup_user(on_b)
        made = hold(on_b, user, event["id"], category="floor", quantity=1)
        self.assertEqual(made.status, 201, made)

    def test_64_clients_on_two_instances_race_for_the_same_seats(self):
        on_a = self.a.client()
        _, event = new_event(on_a, self.admin, venue=layout(rows=(("A", 20),)),
                             prices={"floor": 5000})
        seats = on_a.request("GET", API + "/events/%s/seats" % event["id"]).body["seats"]
        wanted = [seat["id"] for seat in seats[8:12]]
        users = signup_many(self.a, 64, prefix="race")
        barrier = threading.Barrier(64)
        results = [None] * 64

        def race(i):
            client = (self.a if i % 2 == 0 else self.b).client()
            try:
                barrier.wait(timeout=30)
                results[i] = hold(client, users[i], event["id"], seats=wanted)
            finally:
                client.close()

        threads = [threading.Thread(target=race, args=(i,)) for i in range(64)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        statuses = sorted(result.status for result in results)
        self.assertEqual(statuses.count(201), 1, statuses)
        self.assertEqual(statuses.count(409), 63, statuses)
        for result in results:
            if result.status == 409:
                self.assertEqual(result.body["error"]["code"], "seats_unavailable")
        after = on_a.request("GET", API + "/events/%s/seats" % event["id"]).body["seats"]
        held = sorted(seat["id"] for seat in after if seat["status"] == "held")
        self.assertEqual(held, sorted(wanted))


if __name__ == "__main__":
    unittest.main()
