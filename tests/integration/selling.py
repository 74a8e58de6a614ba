"""Shared helpers for the black-box tests of venues, events, the catalog, holds, orders,
tickets and check-in (contract sections "Venues and events" to "Tickets and check-in").

Builds on harness.py: staff and admin accounts are made with `boxoffice users add` in
the server's directory and environment, then signed in over HTTP. Everything else goes
through the public API, with bearer tokens.
"""

import base64
import calendar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (  # noqa: E402
    API, DEFAULT_PASSWORD, ServerTestCase, User, login_user, run_cli, signup_user,
    unique_email,
)

RFC3339_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]00:00)$")
EVENT_FIELDS = {"id", "title", "artist", "venue", "starts_at", "sale_starts_at", "status",
                "currency", "prices", "max_tickets_per_order", "hold_seconds", "capacity",
                "available", "poster"}
HOLD_FIELDS = {"id", "event_id", "seats", "expires_at", "total", "currency"}
ORDER_FIELDS = {"id", "event_id", "status", "tickets", "total", "currency", "created_at"}
TICKET_FIELDS = {"id", "order_id", "event_id", "seat", "code", "status"}
SALES_FIELDS = {"capacity", "sold", "held", "available", "orders", "revenue", "currency"}
NUMBERED_SEAT_FIELDS = {"id", "section", "row", "number", "category"}
GA_SEAT_FIELDS = {"id", "area", "category"}
SEAT_STATUSES = {"available", "held", "sold"}


# --------------------------------------------------------------------------- time


def rfc3339(ts):
    """Unix time (seconds) -> RFC 3339 UTC string with whole seconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(ts)))


def parse_rfc3339(text):
    """RFC 3339 UTC string -> Unix time (float); raises ValueError when malformed."""
    m = RFC3339_RE.match(text or "")
    if not m:
        raise ValueError("not an RFC 3339 UTC time: %r" % (text,))
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    frac = float(m.group(7)) if m.group(7) else 0.0
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) + frac


def days_from_now(days):
    return rfc3339(time.time() + days * 86400)


# --------------------------------------------------------------------------- accounts


def add_user_with_role(server, role, prefix=None, password=DEFAULT_PASSWORD):
    """Creates a staff or admin account with the command line, in the server's directory
    and environment, and signs it in over HTTP. Returns a harness.User."""
    email = unique_email(prefix or role)
    name = "%s %s" % (role.capitalize(), uuid.uuid4().hex[:6])
    env = dict(server.env_overrides)
    env["BOXOFFICE_PASSWORD"] = password
    proc = run_cli(["users", "add", "--email", email, "--name", name, "--role", role],
                   server.dir, env=env)
    if proc.returncode != 0:
        raise AssertionError("boxoffice users add --role %s failed (exit %d)\nstdout: %s\nstderr: %s"
                             % (role, proc.returncode, proc.stdout, proc.stderr))
    client = server.client()
    try:
        resp = login_user(client, email, password)
    finally:
        client.close()
    if resp.status != 200:
        raise AssertionError("log-in of the new %s %s: expected 200, got %r" % (role, email, resp))
    user = User(email, password, name, resp)
    if user.role != role:
        raise AssertionError("log-in of the new %s answered role %r" % (role, user.role))
    return user


def relogin(client, user):
    """Signs `user` in again (e.g. after a restart) and updates its token in place."""
    resp = login_user(client, user.email, user.password)
    if resp.status != 200:
        raise AssertionError("log-in of %s: expected 200, got %r" % (user.email, resp))
    fresh = User(user.email, user.password, user.name, resp)
    user.token, user.csrf, user.cookie, user.response = fresh.token, fresh.csrf, fresh.cookie, resp
    return user


# --------------------------------------------------------------------------- layouts


def layout(name=None, rows=(("A", 10),), section="Floor", category="floor", areas=None):
    """A venue body: one section of `rows` ((label, seats), ...) plus `areas`
    ((name, category, capacity), ...)."""
    body = {"name": name or "Venue %s" % uuid.uuid4().hex[:8]}
    if rows:
        body["sections"] = [{"name": section, "category": category,
                             "rows": [{"label": label, "seats": n} for label, n in rows]}]
    if areas:
        body["areas"] = [{"name": a, "category": c, "capacity": n} for a, c, n in areas]
    return body


def row_labels(n):
    """A, B, ..., Z, AA, AB, ..."""
    out = []
    for i in range(n):
        label, k = "", i
        while True:
            label = chr(ord("A") + k % 26) + label
            k = k // 26 - 1
            if k < 0:
                break
        out.append(label)
    return out


# --------------------------------------------------------------------------- API helpers


def idem_key():
    return "key-" + uuid.uuid4().hex


def api(client, method, path, body=None, user=None, **kw):
    token = user.token if user is not None else None
    return client.request(method, API + path, body, token=token, **kw)


def expect(resp, status, what, member=None):
    """The body of `resp` when it has `status` (and, with `member`, that member of a JSON
    object body); raises AssertionError with the evidence otherwise."""
    if resp.status != status:
        raise AssertionError("%s: expected %d, got %r" % (what, status, resp))
    if member is not None:
        if not isinstance(resp.body, dict) or member not in resp.body:
            raise AssertionError("%s: expected a body {%s: ...}, got %r" % (what, member, resp))
        return resp.body[member]
    return resp.body


def create_venue(client, admin, body):
    return expect(api(client, "POST", "/admin/venues", body, admin), 201,
                  "POST /admin/venues %r" % body, "venue")


def event_body(venue_id, prices, **overrides):
    body = {"venue_id": venue_id, "title": "Show %s" % uuid.uuid4().hex[:8], "artist": "The Testers",
            "starts_at": days_from_now(30), "currency": "EUR", "prices": prices}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def create_event(client, admin, venue_id, prices, **overrides):
    body = event_body(venue_id, prices, **overrides)
    return expect(api(client, "POST", "/admin/events", body, admin), 201,
                  "POST /admin/events %r" % body, "event")


def set_status(client, admin, event_id, status):
    return api(client, "PATCH", "/admin/events/%s" % event_id, {"status": status}, admin)


def open_sale(client, admin, event_id):
    return expect(set_status(client, admin, event_id, "on_sale"), 200,
                  "PATCH event %s on_sale" % event_id, "event")


def new_event(client, admin, venue=None, prices=None, on_sale=True, **overrides):
    """Creates a venue (default: row A of 10 floor seats, row B of 10, a standing area of
    5 ga places) and an event there, optionally opens the sale. Returns (venue, event)."""
    venue_layout = venue or layout(rows=(("A", 10), ("B", 10)), areas=(("Standing", "ga", 5),))
    prices = prices or {"floor": 5000, "ga": 3000}
    v = create_venue(client, admin, venue_layout)
    ev = create_event(client, admin, v["id"], prices, **overrides)
    if on_sale:
        ev = open_sale(client, admin, ev["id"])
    return v, ev


def seat_map(client, event_id):
    return expect(api(client, "GET", "/events/%s/seats" % event_id), 200,
                  "GET /events/%s/seats" % event_id, "seats")


def statuses(client, event_id):
    """seat id -> status."""
    return {s["id"]: s["status"] for s in seat_map(client, event_id)}


def status_counts(seats_or_statuses):
    values = (seats_or_statuses.values() if isinstance(seats_or_statuses, dict)
              else [s["status"] for s in seats_or_statuses])
    counts = {"available": 0, "held": 0, "sold": 0}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def get_event(client, event_id):
    return expect(api(client, "GET", "/events/%s" % event_id), 200,
                  "GET /events/%s" % event_id, "event")


def sales(client, admin, event_id):
    return expect(api(client, "GET", "/admin/events/%s/sales" % event_id, None, admin), 200,
                  "GET sales of %s" % event_id)


def hold(client, user, event_id, seats=None, category=None, quantity=None, body=None):
    if body is None:
        body = {"seats": list(seats)} if seats is not None else {"category": category,
                                                                   "quantity": quantity}
    return api(client, "POST", "/events/%s/holds" % event_id, body, user)


def order_body(hold_id, token="tok_visa"):
    return {"hold_id": hold_id, "payment": {"method": "test", "token": token}}


def order(client, user, hold_id, token="tok_visa", key=None, body=None):
    key = key or idem_key()
    return api(client, "POST", "/orders", body if body is not None else order_body(hold_id, token),
               user, headers={"Idempotency-Key": key})


def buy(client, user, event_id, seats=None, category=None, quantity=None):
    """Hold then order with tok_visa; returns the order (raises with evidence otherwise)."""
    h = expect(hold(client, user, event_id, seats=seats, category=category, quantity=quantity),
               201, "POST /events/%s/holds" % event_id, "hold")
    return expect(order(client, user, h["id"]), 201, "POST /orders of hold %s" % h["id"], "order")


def signup_many(server, n, prefix="buyer", workers=16):
    """Signs up n customers in parallel; returns the list of harness.User."""
    users = [None] * n
    errors = []
    lock = threading.Lock()
    next_index = [0]

    def work():
        c = server.client()
        try:
            while True:
                with lock:
                    i = next_index[0]
                    next_index[0] += 1
                if i >= n:
                    return
                users[i] = signup_user(c, email=unique_email(prefix), name="Buyer %d" % i)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            c.close()

    threads = [threading.Thread(target=work) for _ in range(min(workers, n))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return users


# --------------------------------------------------------------------------- ticket codes


def b64url_decode(text):
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text or ""):
        raise ValueError("not base64url: %r" % (text,))
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def split_code(code):
    """BO1.<base64url(payload)>.<base64url(sig)> -> (signed bytes, payload bytes, sig bytes)."""
    parts = code.split(".")
    if len(parts) != 3 or parts[0] != "BO1":
        raise ValueError("code is not BO1.<payload>.<signature>: %r" % code)
    payload = b64url_decode(parts[1])
    sig = b64url_decode(parts[2])
    return ("BO1." + parts[1]).encode("ascii"), payload, sig


ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def ed25519_raw_public_key(text):
    """The 32 raw key bytes from the public_key string, whatever its usual encoding
    (PEM, base64/base64url of the raw key or of the SubjectPublicKeyInfo, hex)."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        body = "".join(line for line in text.splitlines() if not line.startswith("-----"))
        der = base64.b64decode(body)
        if der.startswith(ED25519_SPKI_PREFIX) and len(der) == 44:
            return der[12:]
        raise ValueError("PEM is not an Ed25519 SubjectPublicKeyInfo")
    candidates = []
    if re.fullmatch(r"[0-9a-fA-F]{64}", text):
        candidates.append(bytes.fromhex(text))
    for decoder in (lambda t: base64.b64decode(t + "=" * (-len(t) % 4), validate=True),
                    lambda t: b64url_decode(t.rstrip("="))):
        try:
            candidates.append(decoder(text))
        except (ValueError, base64.binascii.Error):
            pass
    for raw in candidates:
        if len(raw) == 32:
            return raw
        if len(raw) == 44 and raw.startswith(ED25519_SPKI_PREFIX):
            return raw[12:]
    raise ValueError("cannot read an Ed25519 public key from %r" % text)


def keep_tmp_dirs():
    """BOXOFFICE_TEST_KEEP_TMP=1 keeps temporary directories (as the harness does)."""
    return os.environ.get("BOXOFFICE_TEST_KEEP_TMP", "") not in ("", "0")


def openssl_available():
    return shutil.which("openssl") is not None


def ed25519_verify(raw_key, message, signature):
    """True/False with the openssl command line; None when openssl cannot do it."""
    if not openssl_available():
        return None
    der = ED25519_SPKI_PREFIX + raw_key
    pem = "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n" % base64.b64encode(der).decode()
    d = tempfile.mkdtemp(prefix="boxoffice-it-sig-")
    try:
        paths = {name: os.path.join(d, name) for name in ("pub.pem", "msg", "sig")}
        with open(paths["pub.pem"], "w") as f:
            f.write(pem)
        with open(paths["msg"], "wb") as f:
            f.write(message)
        with open(paths["sig"], "wb") as f:
            f.write(signature)
        proc = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["pub.pem"],
                               "-rawin", "-in", paths["msg"], "-sigfile", paths["sig"]],
                              capture_output=True, text=True, timeout=30)
        out = proc.stdout + proc.stderr
        if proc.returncode == 0 and "Verified Successfully" in out:
            return True
        if "Verification Failure" in out:
            return False
        return None  # this openssl cannot verify Ed25519 raw input
    finally:
        shutil.rmtree(d, ignore_errors=True)


# --------------------------------------------------------------------------- base class


class SellingTestCase(ServerTestCase):
    """One server per class, with an admin and a staff account made by the command line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = add_user_with_role(cls.server, "admin")
        cls.staff = add_user_with_role(cls.server, "staff")

    # -- shortcuts on self.client

    def call(self, method, path, body=None, user=None, **kw):
        return api(self.client, method, path, body, user, **kw)

    def new_event(self, **kw):
        return new_event(self.client, self.admin, **kw)

    def seat_map(self, event_id):
        return seat_map(self.client, event_id)

    def statuses(self, event_id):
        return statuses(self.client, event_id)

    def sales(self, event_id):
        return sales(self.client, self.admin, event_id)

    def hold(self, user, event_id, **kw):
        return hold(self.client, user, event_id, **kw)

    def order(self, user, hold_id, **kw):
        return order(self.client, user, hold_id, **kw)

    def buy(self, user, event_id, **kw):
        return buy(self.client, user, event_id, **kw)

    def seat_ids(self, event_id, category=None, row=None, area=None):
        out = []
        for s in self.seat_map(event_id):
            if category is not None and s.get("category") != category:
                continue
            if row is not None and s.get("row") != row:
                continue
            if area is not None and s.get("area") != area:
                continue
            out.append(s["id"])
        return out

    def seats_by_position(self, event_id):
        """(row, number) -> seat id for numbered seats."""
        return {(s["row"], s["number"]): s["id"] for s in self.seat_map(event_id) if "row" in s}

    # -- assertions

    def assertTime(self, value, msg=""):
        self.assertIsInstance(value, str, "%s time is not a string: %r" % (msg, value))
        try:
            return parse_rfc3339(value)
        except ValueError as exc:
            self.fail("%s %s" % (msg, exc))

    def assertSeat(self, seat, msg=""):
        self.assertIsInstance(seat, dict, msg)
        keys = set(seat)
        if "area" in seat:
            self.assertTrue(GA_SEAT_FIELDS <= keys and not keys & {"section", "row", "number"},
                            "%s a general-admission place has area and no section/row/number: %r"
                            % (msg, seat))
            self.assertIsInstance(seat["area"], str)
        else:
            self.assertTrue(NUMBERED_SEAT_FIELDS <= keys, "%s numbered seat fields: %r" % (msg, seat))
            self.assertIsInstance(seat["section"], str)
            self.assertIsInstance(seat["row"], str)
            self.assertIsInstance(seat["number"], int)
            self.assertGreaterEqual(seat["number"], 1)
        self.assertIsInstance(seat["id"], str)
        self.assertTrue(seat["id"])
        self.assertIsInstance(seat["category"], str)

    def assertEventShape(self, event, msg=""):
        self.assertIsInstance(event, dict, msg)
        self.assertEqual(set(event), EVENT_FIELDS, "%s event fields: %r" % (msg, sorted(event)))
        self.assertEqual(set(event["venue"]), {"id", "name"}, "%s event.venue: %r" % (msg, event["venue"]))
        self.assertIn(event["status"], {"scheduled", "on_sale", "paused", "sold_out", "cancelled"})
        self.assertTime(event["starts_at"], msg + " starts_at")
        self.assertTime(event["sale_starts_at"], msg + " sale_starts_at")
        for key in ("max_tickets_per_order", "hold_seconds", "capacity", "available"):
            self.assertIsInstance(event[key], int, "%s %s: %r" % (msg, key, event[key]))
        self.assertIsInstance(event["prices"], dict)
        if event["poster"] is not None:
            self.assertIsInstance(event["poster"], dict)
            self.assertIn("url", event["poster"])
            self.assertIn("variants", event["poster"])

    def assertHoldShape(self, h, msg=""):
        self.assertIsInstance(h, dict, msg)
        self.assertTrue(HOLD_FIELDS <= set(h), "%s hold fields: %r" % (msg, sorted(h)))
        self.assertIsInstance(h["id"], str)
        self.assertGreaterEqual(len(h["id"]), 16, "%s hold id too short to be unguessable: %r"
                                % (msg, h["id"]))
        self.assertIsInstance(h["seats"], list)
        self.assertTrue(h["seats"])
        for s in h["seats"]:
            self.assertSeat(s, msg)
        self.assertTime(h["expires_at"], msg + " expires_at")
        self.assertIsInstance(h["total"], int)
        self.assertRegex(h["currency"], r"^[A-Z]{3}$")

    def assertTicketShape(self, t, msg=""):
        self.assertIsInstance(t, dict, msg)
        self.assertTrue(TICKET_FIELDS <= set(t), "%s ticket fields: %r" % (msg, sorted(t)))
        self.assertIsInstance(t["id"], str)
        self.assertGreaterEqual(len(t["id"]), 16, "%s ticket id too short: %r" % (msg, t["id"]))
        self.assertSeat(t["seat"], msg)
        self.assertIsInstance(t["code"], str)
        self.assertIn(t["status"], {"valid", "checked_in", "void"})

    def assertOrderShape(self, o, msg=""):
        self.assertIsInstance(o, dict, msg)
        self.assertTrue(ORDER_FIELDS <= set(o), "%s order fields: %r" % (msg, sorted(o)))
        self.assertIsInstance(o["id"], str)
        self.assertGreaterEqual(len(o["id"]), 16, "%s order id too short: %r" % (msg, o["id"]))
        self.assertIn(o["status"], {"confirmed", "refunded"})
        self.assertIsInstance(o["tickets"], list)
        for t in o["tickets"]:
            self.assertTicketShape(t, msg)
            self.assertEqual(t["order_id"], o["id"])
            self.assertEqual(t["event_id"], o["event_id"])
        self.assertIsInstance(o["total"], int)
        self.assertRegex(o["currency"], r"^[A-Z]{3}$")
        self.assertTime(o["created_at"], msg + " created_at")

    def assertSalesConsistent(self, s, msg=""):
        self.assertTrue(SALES_FIELDS <= set(s), "%s sales fields: %r" % (msg, s))
        self.assertEqual(s["sold"] + s["held"] + s["available"], s["capacity"],
                         "%s sold + held + available != capacity: %r" % (msg, s))
