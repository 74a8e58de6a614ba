"""Production backend only: what a stream of purchases sees when Redis or MariaDB fail.

Each test runs on a private MariaDB and Redis (scripts/test-services), since it stops or
flushes them. During the fault every answer is one of 201, 401 (a session lost with
Redis), 402, 409 or 503, never 500 and never later than the request deadline; after it
the service recovers by itself, and at the end:
- every order answered 201 is in MariaDB, confirmed, with its tickets;
- no seat is in two confirmed orders;
- sold + held + available = capacity, and the sales figures equal the tickets found.
"""
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import API, Server, backend_name, login_user, signup_user  # noqa: E402
from selling import (  # noqa: E402
    add_user_with_role, hold, idem_key, layout, new_event, order_body, sales, signup_many)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SERVICES = os.path.join(REPO, "scripts", "test-services")
ALLOWED = {201, 401, 402, 409, 503}
DEADLINE_S = 15.0


def read_env(folder):
    values = {}
    with open(os.path.join(folder, "env")) as env_file:
        for line in env_file:
            if line.startswith("export ") and "=" in line:
                key, _, value = line[len("export "):].strip().partition("=")
                values[key] = value.strip("'\"")
    return values


class PurchaseStream:
    """`clients` buyers, each holding 1–2 best-available seats and ordering them, until
    stopped. Re-logs in after a 401 (sessions vanish with a Redis flush)."""

    def __init__(self, server, users, event_id):
        self.server, self.users, self.event_id = server, users, event_id
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.answers = []  # (operation, status, seconds)
        self.confirmed = []  # (user, order)
        self.errors = []
        self.threads = [threading.Thread(target=self._buy, args=(i,), daemon=True)
                        for i in range(len(users))]

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def stop(self):
        self.stop_flag.set()
        for thread in self.threads:
            thread.join(60)

    def _timed(self, operation, call):
        started = time.monotonic()
        response = call()
        elapsed = time.monotonic() - started
        with self.lock:
            self.answers.append((operation, response.status, elapsed))
        return response

    def _buy(self, i):
        user = self.users[i]
        client = self.server.client(timeout=DEADLINE_S + 5)
        try:
            while not self.stop_flag.is_set():
                made = self._timed("hold", lambda: hold(client, user, self.event_id,
                                                        category="floor", quantity=1 + i % 2))
                if made.status == 401:
                    fresh = login_user(client, user.email, user.password)
                    if fresh.status == 200:
                        user.token = fresh.body["token"]
                    continue
                if made.status != 201:
                    time.sleep(0.05)
                    continue
                body = order_body(made.body["hold"]["id"])
                key = idem_key()
                answer = self._timed("order", lambda: client.request(
                    "POST", API + "/orders", body, token=user.token,
                    headers={"Idempotency-Key": key}))
                if answer.status == 201:
                    with self.lock:
                        self.confirmed.append((user, answer.body["order"]))
        except Exception as error:  # reported by the test
            self.errors.append(repr(error))
        finally:
            client.close()


class Outages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if backend_name() != "production":
            raise RuntimeError("this suite needs BOXOFFICE_TEST_BACKEND=production")

    def setUp(self):
        self.services = tempfile.mkdtemp(prefix="boxoffice-outage-")
        subprocess.run([SERVICES, "start", self.services], check=True, timeout=120,
                       stdout=subprocess.DEVNULL)
        self.env = read_env(self.services)
        subprocess.run([harness.require_binary(), "migrate"], check=True, timeout=60,
                       cwd=self.services, stdout=subprocess.DEVNULL,
                       env=harness.clean_env(
                           {"BOXOFFICE_DATABASE_URL": self.env["BOXOFFICE_MIGRATE_DATABASE_URL"]}))
        self.server = Server(
            env={"BOXOFFICE_PASSWORD_HASH_COST": "min", "BOXOFFICE_REPAIR_MIN_AGE_MS": "1000",
                 "BOXOFFICE_REPAIR_INTERVAL_MS": "1000"},
            backend={"BOXOFFICE_DATABASE_URL": self.env["BOXOFFICE_DATABASE_URL"],
                     "BOXOFFICE_REDIS_URL": self.env["BOXOFFICE_REDIS_URL"]}).start()
        self.client = self.server.client(timeout=DEADLINE_S + 5)
        self.admin = add_user_with_role(self.server, "admin")
        _, self.event = new_event(self.client, self.admin,
                                  venue=layout(rows=[("R%d" % r, 50) for r in range(100)]),
                                  prices={"floor": 5000})
        self.users = signup_many(self.server, 12, prefix="outage")

    def tearDown(self):
        self.client.close()
        self.server.stop()
        subprocess.run([SERVICES, "stop", self.services], timeout=120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.client.request("GET", "/readyz").status == 200:
                return
            time.sleep(0.2)
        self.fail("/readyz did not come back within %ss" % timeout)

    def check_answers_and_invariants(self, stream):
        self.assertEqual(stream.errors, [])
        bad = [a for a in stream.answers if a[1] not in ALLOWED]
        self.assertEqual(bad, [], "answers outside %s" % sorted(ALLOWED))
        slow = [a for a in stream.answers if a[2] > DEADLINE_S]
        self.assertEqual(slow, [], "answers later than the deadline")
        self.assertGreater(len(stream.confirmed), 0)
        seat_owners = {}
        for user, placed in stream.confirmed:
            stored = self.client.request("GET", API + "/orders/" + placed["id"],
                                         token=self.admin.token)
            self.assertEqual(stored.status, 200, "a 201 order is missing: %s" % placed["id"])
            self.assertEqual(stored.body["order"]["status"], "confirmed")
            self.assertEqual(len(stored.body["order"]["tickets"]), len(placed["tickets"]))
            for ticket in stored.body["order"]["tickets"]:
                seat = ticket["seat"]["id"]
                self.assertNotIn(seat, seat_owners, "seat %s sold twice" % seat)
                seat_owners[seat] = placed["id"]
        figures = sales(self.client, self.admin, self.event["id"])
        self.assertEqual(figures["sold"] + figures["held"] + figures["available"],
                         figures["capacity"])
        self.assertGreaterEqual(figures["sold"], len(seat_owners))
        seats = self.client.request("GET", API + "/events/%s/seats" % self.event["id"]).body["seats"]
        sold = {seat["id"] for seat in seats if seat["status"] == "sold"}
        self.assertTrue(set(seat_owners) <= sold, "a sold seat is not reported sold")
        print("\n  requests %d, confirmed %d, statuses %s" % (
            len(stream.answers), len(stream.confirmed),
            {s: sum(1 for a in stream.answers if a[1] == s) for s in sorted(ALLOWED)}))
        return seat_owners

    def test_flushall_during_purchases_loses_no_sale_and_sells_no_seat_twice(self):
        stream = PurchaseStream(self.server, self.users, self.event["id"]).start()
        time.sleep(1.5)
        subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", self.env["REDIS_PORT"],
                        "--user", "admin", "--pass", self.env["REDIS_ADMIN_PASSWORD"],
                        "--no-auth-warning", "FLUSHALL"], check=True, timeout=10,
                       stdout=subprocess.DEVNULL)
        time.sleep(2.0)
        stream.stop()
        self.admin.token = login_user(self.client, self.admin.email,
                                      self.admin.password).body["token"]
        sold = self.check_answers_and_invariants(stream)
        # A flush must never make a sold seat holdable.
        buyer = signup_user(self.client)
        taken = sorted(sold)[:2]
        again = hold(self.client, buyer, self.event["id"], seats=taken)
        self.assertEqual(again.status, 409, again)
        self.assertEqual(again.body["error"]["code"], "seats_unavailable")

    def test_database_paused_for_5_seconds_answers_503_and_recovers(self):
        stream = PurchaseStream(self.server, self.users, self.event["id"]).start()
        time.sleep(1.0)
        pid = int(self.env["MARIADB_PID"])
        os.kill(pid, signal.SIGSTOP)
        try:
            time.sleep(5.0)
        finally:
            os.kill(pid, signal.SIGCONT)
        time.sleep(3.0)
        stream.stop()
        self.assertIn(503, {a[1] for a in stream.answers}, "no request noticed the outage")
        self.wait_ready()
        self.check_answers_and_invariants(stream)
        # Service resumes without a restart.
        buyer = signup_user(self.client)
        made = hold(self.client, buyer, self.event["id"], category="floor", quantity=1)
        self.assertEqual(made.status, 201, made)
        answer = self.client.request("POST", API + "/orders", order_body(made.body["hold"]["id"]),
                                     token=buyer.token, headers={"Idempotency-Key": idem_key()})
        self.assertEqual(answer.status, 201, answer)

    def test_redis_killed_and_restarted_keeps_sessions_and_recovers(self):
        user = signup_user(self.client)
        # AOF is fsynced every second: a session older than that survives a kill -9.
        time.sleep(1.5)
        os.kill(int(self.env["REDIS_PID"]), signal.SIGKILL)
        started = time.monotonic()
        during = self.client.request("GET", API + "/me", token=user.token)
        self.assertEqual(during.status, 503, during)
        self.assertLess(time.monotonic() - started, DEADLINE_S)
        self.assertEqual(self.client.request("GET", "/readyz").status, 503)
        restarted = subprocess.Popen(
            ["redis-server", os.path.join(self.services, "redis", "redis.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            self.wait_ready()
            self.assertEqual(self.client.request("GET", API + "/me", token=user.token).status, 200)
            made = hold(self.client, user, self.event["id"], category="floor", quantity=2)
            self.assertEqual(made.status, 201, made)
        finally:
            restarted.terminate()
            restarted.wait(30)


if __name__ == "__main__":
    unittest.main()
