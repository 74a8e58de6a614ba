"""What every fault test shares: a cluster started by scripts/cluster in a temporary
folder, buyers that purchase through the edge, and the invariant check.

The buyers connect from their own loopback addresses (127.0.1.x), so the edge sees many
clients, as on a real on-sale day, and its per-address limit does not throttle the test.
Traffic never leaves 127.0.0.0/8. Every wait is bounded.
"""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
import harness  # noqa: E402
from harness import API, Client, User, login_user, signup_user  # noqa: E402
import selling  # noqa: E402
from selling import layout, order_body  # noqa: E402

CLUSTER = os.path.join(REPO, "scripts", "cluster")
BUYERS = 32
# Statuses that are part of buying under contention, not failures: 409 is a seat someone
# else got (or a hold that expired), 402 a declined card.
NORMAL = {200, 201, 204, 402, 409}
REQUEST_TIMEOUT_S = 20.0


class EdgeClient(Client):
    """harness.Client from a chosen loopback source address."""

    def __init__(self, port, source, timeout=REQUEST_TIMEOUT_S):
        super().__init__(port, timeout=timeout)
        self.source = source

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout,
                                                   source_address=(self.source, 0))
            self.conn.connect()
            self.connections_opened += 1
        return self.conn


def buyer_address(index):
    return "127.0.1.%d" % (10 + index % 240)


class Cluster:
    def __init__(self, instances=3, extra_env=None):
        self.dir = tempfile.mkdtemp(prefix="bo-cluster-")
        env = harness.clean_env({"BOXOFFICE_PASSWORD_HASH_COST": "min",
                                 "BOXOFFICE_REPAIR_MIN_AGE_MS": "2000",
                                 "BOXOFFICE_REPAIR_INTERVAL_MS": "1000",
                                 # Seats an instance sold just before it died read as held
                                 # in Redis until a reconcile: run it often here.
                                 "BOXOFFICE_RECONCILE_INTERVAL_MS": "1000"})
        env.update(extra_env or {})
        self.env = env
        # The buyers have their own addresses; the rate limit is shown by its own test.
        self.run("up", "--instances", str(instances), "--edge-port", "0", "--edge-rate", "500",
                 "--edge-burst", "1000", "--binary", harness.require_binary(), timeout=240)
        self.reload()
        self.admin = self.login(self.state["admin"]["email"], self.state["admin"]["password"])

    def run(self, *args, timeout=180):
        done = subprocess.run([CLUSTER, "--dir", self.dir] + list(args), env=self.env,
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise AssertionError("scripts/cluster %s failed:\n%s%s\n%s" % (
                " ".join(args), done.stdout, done.stderr, self.log_tail()))
        return done.stdout

    def log_tail(self):
        logs = os.path.join(self.dir, "logs")
        text = []
        for name in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
            with open(os.path.join(logs, name), errors="replace") as log:
                text.append("--- %s\n%s" % (name, "".join(log.readlines()[-15:])))
        return "\n".join(text)

    def reload(self):
        with open(os.path.join(self.dir, "cluster.json")) as saved:
            self.state = json.load(saved)
        self.services = {}
        with open(os.path.join(self.dir, "services", "env")) as env_file:
            for line in env_file:
                if line.startswith("export ") and "=" in line:
                    key, _, value = line[len("export "):].strip().partition("=")
                    self.services[key] = value
        return self.state

    @property
    def port(self):
        return self.state["edge"]["port"]

    def client(self, source="127.0.0.1", timeout=REQUEST_TIMEOUT_S):
        return EdgeClient(self.port, source, timeout)

    def login(self, email, password):
        client = self.client()
        try:
            resp = login_user(client, email, password)
        finally:
            client.close()
        if resp.status != 200:
            raise AssertionError("log-in of %s: %r" % (email, resp))
        return User(email, password, "admin", resp)

    def instance_pids(self):
        return {int(slot): item["pid"] for slot, item in self.reload()["instances"].items()}

    def balancer_status(self):
        """Slot -> HAProxy's view of it (UP, DOWN, MAINT, DRAIN...)."""
        out = json.loads(self.run("status", "--json"))
        return {item["slot"]: item["balancer"] for item in out["instances"]}

    def sql(self, query):
        """Runs a query as MariaDB's administrator (through the socket); rows of strings."""
        done = subprocess.run(["mariadb", "--no-defaults", "--socket", self.services["MARIADB_SOCKET"],
                               "-u", "root", "--batch", "--skip-column-names", "boxoffice",
                               "-e", query], capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise AssertionError("SQL failed: %s\n%s" % (query, done.stderr))
        return [line.split("\t") for line in done.stdout.splitlines() if line]

    def new_event(self, rows=200, seats_per_row=50):
        """An on-sale event big enough that the stream does not sell it out."""
        client = self.client()
        try:
            _, event = selling.new_event(
                client, self.admin, venue=layout(rows=[("R%d" % r, seats_per_row) for r in range(rows)]),
                prices={"floor": 4500})
            return event["id"]
        finally:
            client.close()

    def signup_buyers(self, count=BUYERS):
        users = []
        for index in range(count):
            client = self.client(source=buyer_address(index))
            try:
                users.append(signup_user(client, email="buyer-%s@example.com" % uuid.uuid4().hex[:12],
                                         name="Buyer %d" % index))
            finally:
                client.close()
        return users

    def down(self):
        subprocess.run([CLUSTER, "--dir", self.dir, "down"], env=self.env, timeout=180,
                       capture_output=True)


class PurchaseStream:
    """Buyers that each hold 1–2 best-available seats and order them, until stopped.

    An order that fails (connection error or 5xx) is sent again with the same
    Idempotency-Key until it gets a final answer, so a buyer never pays twice: that is
    what a well-behaved client (the storefront) does. Every answer is counted.
    """

    def __init__(self, cluster, users, event_id):
        self.cluster, self.users, self.event_id = cluster, users, event_id
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.sent = 0
        self.failed = []  # (operation, status or error, when)
        self.retried = 0
        self.statuses = {}
        self.unauthenticated = 0
        self.confirmed = {}  # order id -> (user email, idempotency key, order)
        self.keys_with_orders = {}  # idempotency key -> set of order ids
        self.threads = [threading.Thread(target=self._buy, args=(i,), daemon=True)
                        for i in range(len(users))]

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def stop(self):
        self.stop_flag.set()
        for thread in self.threads:
            thread.join(REQUEST_TIMEOUT_S * 3)

    def _count(self, operation, status):
        with self.lock:
            self.sent += 1
            self.statuses.setdefault(operation, {}).setdefault(str(status), 0)
            self.statuses[operation][str(status)] += 1
            if status == 401:
                self.unauthenticated += 1
            if status not in NORMAL:
                self.failed.append((operation, status, time.monotonic()))

    def _send(self, client, operation, method, path, body, user, headers=None):
        try:
            resp = client.request(method, path, body, token=user.token, headers=headers)
        except (OSError, http.client.HTTPException) as error:
            client.close()
            self._count(operation, type(error).__name__)
            return None
        self._count(operation, resp.status)
        return resp

    def _buy(self, index):
        user = self.users[index]
        client = self.cluster.client(source=buyer_address(index))
        try:
            while not self.stop_flag.is_set():
                made = self._send(client, "hold", "POST", API + "/events/%s/holds" % self.event_id,
                                  {"category": "floor", "quantity": 1 + index % 2}, user)
                if made is None or made.status != 201:
                    time.sleep(0.05 if made is not None and made.status == 409 else 0.2)
                    continue
                self._order(client, user, made.body["hold"]["id"])
        finally:
            client.close()

    def _order(self, client, user, hold_id):
        key = uuid.uuid4().hex
        deadline = time.monotonic() + 60
        attempt = 0
        while time.monotonic() < deadline:
            if attempt:
                with self.lock:
                    self.retried += 1
                time.sleep(min(0.2 * attempt, 1.0))
            attempt += 1
            answer = self._send(client, "order", "POST", API + "/orders", order_body(hold_id),
                                user, headers={"Idempotency-Key": key})
            if answer is None or answer.status >= 500 or answer.status == 429:
                continue
            if answer.status == 201:
                order = answer.body["order"]
                with self.lock:
                    self.confirmed[order["id"]] = (user.email, key, order)
                    self.keys_with_orders.setdefault(key, set()).add(order["id"])
            return

    def summary(self):
        orders = self.statuses.get("order", {})
        return {"requests sent": self.sent, "failed": len(self.failed), "retried": self.retried,
                "orders confirmed": len(self.confirmed), "holds": self.statuses.get("hold", {}),
                "orders": orders}


class FaultTestCase(unittest.TestCase):
    instances = 3

    @classmethod
    def setUpClass(cls):
        cls.cluster = Cluster(instances=cls.instances)
        cls.users = cls.cluster.signup_buyers()

    @classmethod
    def tearDownClass(cls):
        if os.environ.get("BOXOFFICE_KEEP_CLUSTER"):
            print("cluster kept in %s" % cls.cluster.dir)
            return
        cls.cluster.down()

    def stream(self):
        """Buyers on an event of their own, so that no test sells out another's."""
        self.event_id = self.cluster.new_event()
        return PurchaseStream(self.cluster, self.users, self.event_id).start()

    def report(self, fault, stream, invariant):
        summary = stream.summary()
        summary["invariant"] = invariant
        print("\n[%s] %s" % (fault, json.dumps(summary, sort_keys=True)))

    def assert_invariants(self, stream):
        """No seat in two confirmed orders; every 201 order in MariaDB with its tickets;
        sold + held + available = capacity; the sales figures equal the tickets."""
        cluster = self.cluster
        twice = cluster.sql("SELECT t.seat_id, COUNT(*) FROM tickets t JOIN orders o ON o.id = t.order_id "
                            "WHERE o.event_id = '%s' AND o.status = 'confirmed' "
                            "GROUP BY t.seat_id HAVING COUNT(*) > 1" % self.event_id)
        self.assertEqual(twice, [], "seats in two confirmed orders")
        stored = {row[0]: (row[1], int(row[2])) for row in cluster.sql(
            "SELECT o.id, o.status, COUNT(t.id) FROM orders o LEFT JOIN tickets t ON t.order_id = o.id "
            "WHERE o.event_id = '%s' GROUP BY o.id, o.status" % self.event_id)}
        for order_id, (_, _, order) in stream.confirmed.items():
            self.assertIn(order_id, stored, "an order answered 201 is not in MariaDB")
            status, tickets = stored[order_id]
            self.assertEqual(status, "confirmed", order_id)
            self.assertEqual(tickets, len(order["tickets"]), "tickets of %s" % order_id)
        for key, orders in stream.keys_with_orders.items():
            self.assertEqual(len(orders), 1, "Idempotency-Key %s made %d orders" % (key, len(orders)))
        live = int(cluster.sql("SELECT COUNT(*) FROM tickets WHERE event_id = '%s' AND status <> 'void'"
                               % self.event_id)[0][0])
        client = cluster.client()
        try:
            figures, resp = None, None
            for _ in range(50):
                resp = client.request("GET", API + "/admin/events/%s/sales" % self.event_id,
                                      token=cluster.admin.token)
                if resp.status == 200:
                    figures = resp.body.get("sales", resp.body)
                    break
                time.sleep(0.2)
        finally:
            client.close()
        self.assertIsNotNone(figures, "the sales figures did not answer: %r" % (resp,))
        # After a crash the figures converge within a reconcile interval (1 s here).
        deadline = time.monotonic() + 10.0
        while figures["sold"] != live and time.monotonic() < deadline:
            time.sleep(0.5)
            client = cluster.client()
            try:
                resp = client.request("GET", API + "/admin/events/%s/sales" % self.event_id,
                                      token=cluster.admin.token)
            finally:
                client.close()
            if resp.status == 200:
                figures = resp.body.get("sales", resp.body)
        self.assertEqual(figures["sold"] + figures["held"] + figures["available"], figures["capacity"])
        self.assertEqual(figures["sold"], live, "sold seats differ from live tickets in MariaDB")
        return "ok: %d confirmed orders, %d live tickets, no seat twice" % (len(stream.confirmed), live)

    def wait_for(self, condition, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return time.monotonic()
            time.sleep(0.05)
        self.fail("%s within %ss" % (what, timeout))
