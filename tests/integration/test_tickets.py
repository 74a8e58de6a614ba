"""Black-box tests of tickets and check-in (contract: "Tickets and check-in"): QR codes,
the public key and offline verification of ticket codes, check-in by staff and admins,
void tickets, and who may do what.

Codes are `BO1.<base64url(payload)>.<base64url(signature)>`: an Ed25519 signature over the
ASCII bytes "BO1." + base64url(payload), payload = ticket_id "\\n" event_id "\\n" seat_id.
The signature is checked with the `openssl` command line when it is available.

Run from the repository root:
    python3 -m unittest tests/integration/test_tickets.py
"""

import base64
import os
import shutil
import stat
import tempfile
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import API, BACKEND_FILE, Server, run_cli  # noqa: E402
from selling import (  # noqa: E402
    SellingTestCase, b64url_decode, ed25519_raw_public_key, ed25519_verify, openssl_available, parse_rfc3339,
    split_code,
)


def b64url(data):
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


class SharedKeyTests(unittest.TestCase):
    """`boxoffice keys generate` makes the key every instance of a cluster shares."""

    def test_generated_key_is_private_kept_and_used_by_the_server(self):
        folder = tempfile.mkdtemp(prefix="bo-key-")
        self.addCleanup(shutil.rmtree, folder, True)
        path = os.path.join(folder, "ticket-signing.key")
        first = run_cli(["keys", "generate", "--out", path], folder)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("created", first.stdout)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        public_key = first.stdout.split("public key:")[1].strip()
        # A second run never replaces it: every ticket sold so far was signed with it.
        second = run_cli(["keys", "generate", "--out", path], folder)
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertIn("kept the existing key", second.stdout)
        self.assertEqual(second.stdout.split("public key:")[1].strip(), public_key)
        server = Server(env={"BOXOFFICE_SECRET_KEY_FILE": path}).start()
        self.addCleanup(server.close)
        self.addCleanup(server.stop)
        client = server.client()
        self.addCleanup(client.close)
        published = client.get(API + "/tickets/public-key")
        self.assertEqual(published.status, 200, published)
        self.assertEqual(published.body["public_key"], public_key)

    def test_a_path_that_is_not_a_key_file_fails_clearly_and_writes_nothing(self):
        folder = tempfile.mkdtemp(prefix="bo-key-")
        self.addCleanup(shutil.rmtree, folder, True)
        done = run_cli(["keys", "generate", "--out", folder], folder)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("boxoffice:", done.stderr)
        # The harness keeps its note of the backend there; the command wrote nothing else.
        self.assertEqual([name for name in os.listdir(folder) if name != BACKEND_FILE], [])


class TicketTests(SellingTestCase):

    def setUp(self):
        super().setUp()
        self.venue, self.event = self.new_event()
        self.eid = self.event["id"]
        self.user = self.signup()

    def checkin(self, code, user=None):
        return self.call("POST", "/checkin", {"code": code}, user or self.staff)

    def ticket_of(self, user, order_id, ticket_id):
        o = self.call("GET", "/orders/%s" % order_id, None, user)
        self.assertEqual(o.status, 200, o)
        return {t["id"]: t for t in o.body["order"]["tickets"]}[ticket_id]

    # ------------------------------------------------------------------ codes

    def test_public_key(self):
        resp = self.client.get(API + "/tickets/public-key")  # public
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.body.get("algorithm"), "Ed25519", resp.body)
        self.assertIsInstance(resp.body.get("public_key"), str)
        raw = ed25519_raw_public_key(resp.body["public_key"])
        self.assertEqual(len(raw), 32)
        again = self.client.get(API + "/tickets/public-key")
        self.assertEqual(again.body, resp.body, "the key is stable")

    def test_code_structure_and_signature(self):
        o = self.buy(self.user, self.eid, category="floor", quantity=2)
        key = ed25519_raw_public_key(self.client.get(API + "/tickets/public-key").body["public_key"])
        for t in o["tickets"]:
            signed, payload, sig = split_code(t["code"])
            self.assertEqual(payload.decode("utf-8").split("\n"), [t["id"], self.eid, t["seat"]["id"]],
                             "payload of %r" % t["code"])
            self.assertEqual(len(sig), 64, "an Ed25519 signature has 64 bytes")
            verdict = ed25519_verify(key, signed, sig)
            if verdict is None:
                continue  # no openssl able to verify Ed25519: structure checked only
            self.assertTrue(verdict, "signature of %r does not verify with the public key" % t["code"])
            # A changed payload does not verify with the same signature.
            forged = b"BO1." + b64url((t["id"] + "\n" + self.eid + "\nother-seat").encode()).encode()
            self.assertFalse(ed25519_verify(key, forged, sig))

    @unittest.skipUnless(openssl_available(), "openssl is not installed")
    def test_openssl_helper_detects_bad_signatures(self):
        # Guards the verification helper itself: a flipped signature bit must fail.
        o = self.buy(self.user, self.eid, category="ga", quantity=1)
        key = ed25519_raw_public_key(self.client.get(API + "/tickets/public-key").body["public_key"])
        signed, _, sig = split_code(o["tickets"][0]["code"])
        if ed25519_verify(key, signed, sig) is None:
            self.skipTest("this openssl cannot verify Ed25519")
        bad = bytes([sig[0] ^ 1]) + sig[1:]
        self.assertFalse(ed25519_verify(key, signed, bad))

    # ------------------------------------------------------------------ QR code

    def test_qr_svg_owner_only(self):
        o = self.buy(self.user, self.eid, category="floor", quantity=1)
        tid = o["tickets"][0]["id"]
        resp = self.call("GET", "/tickets/%s/qr.svg" % tid, None, self.user)
        self.assertEqual(resp.status, 200, resp)
        ctype = resp.header("Content-Type", "")
        self.assertEqual(ctype.split(";")[0].strip().lower(), "image/svg+xml", ctype)
        text = resp.raw.decode("utf-8")
        self.assertIn("<svg", text)
        self.assertIn("</svg>", text)
        other = self.signup()
        self.assertError(self.call("GET", "/tickets/%s/qr.svg" % tid, None, other), 404, "not_found")
        self.assertError(self.call("GET", "/tickets/%s/qr.svg" % tid), 401, "unauthenticated")
        self.assertError(self.call("GET", "/tickets/no-such-ticket/qr.svg", None, self.user), 404, "not_found")

    # ------------------------------------------------------------------ check-in

    def test_checkin_then_second_scan(self):
        o = self.buy(self.user, self.eid, category="floor", quantity=2)
        t = o["tickets"][0]
        before = time.time()
        resp = self.checkin(t["code"])
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.body.get("result"), "admitted")
        ticket = resp.body["ticket"]
        self.assertTicketShape(ticket)
        self.assertEqual((ticket["id"], ticket["order_id"], ticket["event_id"], ticket["code"]),
                         (t["id"], o["id"], self.eid, t["code"]))
        self.assertEqual(ticket["seat"]["id"], t["seat"]["id"])
        self.assertEqual(ticket["status"], "checked_in")
        self.assertEqual(self.ticket_of(self.user, o["id"], t["id"])["status"], "checked_in")
        self.assertEqual(self.ticket_of(self.user, o["id"], o["tickets"][1]["id"])["status"], "valid")

        second = self.checkin(t["code"])
        err = self.assertError(second, 409, "already_checked_in")
        at = parse_rfc3339(err.get("checked_in_at"))
        self.assertAlmostEqual(at, before, delta=5)
        third = self.checkin(t["code"], self.admin)
        err3 = self.assertError(third, 409, "already_checked_in")
        self.assertEqual(err3.get("checked_in_at"), err.get("checked_in_at"))

    def test_admin_may_check_in(self):
        o = self.buy(self.user, self.eid, category="ga", quantity=1)
        resp = self.checkin(o["tickets"][0]["code"], self.admin)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.body["result"], "admitted")

    def test_invalid_codes(self):
        o = self.buy(self.user, self.eid, category="floor", quantity=1)
        t = o["tickets"][0]
        prefix, payload, sig = t["code"].split(".")
        other_payload = b64url(("x" * 24 + "\n" + self.eid + "\n" + t["seat"]["id"]).encode())
        raw_sig = b64url_decode(sig)
        flipped = b64url(bytes([raw_sig[0] ^ 1]) + raw_sig[1:])
        for code in ("garbage", "BO1.abc.def", "BO1..", prefix + "." + payload,
                     prefix + "." + other_payload + "." + sig,  # signature of another payload
                     prefix + "." + payload + "." + flipped,  # bad signature
                     "BO2." + payload + "." + sig, t["code"] + "x"):
            with self.subTest(code=code):
                self.assertError(self.checkin(code), 400, "invalid_code")
        self.assertEqual(self.ticket_of(self.user, o["id"], t["id"])["status"], "valid")
        for body in ({}, {"code": ""}, {"code": 5}):
            with self.subTest(body=body):
                resp = self.call("POST", "/checkin", body, self.staff)
                self.assertEqual(resp.status, 400, resp)
                self.assertIn(self.assertErrorBody(resp.body)["code"], ("invalid_request", "invalid_code"))

    def test_refunded_ticket_is_void(self):
        o = self.buy(self.user, self.eid, category="floor", quantity=2)
        checked = o["tickets"][0]
        self.assertEqual(self.checkin(checked["code"]).status, 200)
        refund = self.call("POST", "/admin/orders/%s/refund" % o["id"], None, self.admin)
        self.assertEqual(refund.status, 200, refund)
        for t in o["tickets"]:
            with self.subTest(ticket=t["id"]):
                self.assertError(self.checkin(t["code"]), 410, "ticket_void")
                self.assertEqual(self.ticket_of(self.user, o["id"], t["id"])["status"], "void")

    def test_checkin_roles(self):
        o = self.buy(self.user, self.eid, category="floor", quantity=1)
        code = o["tickets"][0]["code"]
        self.assertError(self.checkin(code, self.user), 403, "forbidden")
        self.assertError(self.checkin(code, self.signup()), 403, "forbidden")
        self.assertError(self.client.request("POST", API + "/checkin", {"code": code}), 401, "unauthenticated")
        resp = self.client.request("POST", API + "/checkin", {"code": code}, cookie=self.staff.cookie)
        self.assertError(resp, 403, "csrf_failed")
        self.assertEqual(self.ticket_of(self.user, o["id"], o["tickets"][0]["id"])["status"], "valid")
        resp = self.client.request("POST", API + "/checkin", {"code": code}, cookie=self.staff.cookie,
                                   csrf=self.staff.csrf)
        self.assertEqual(resp.status, 200, resp)

    def test_staff_is_not_admin(self):
        o = self.buy(self.user, self.eid, category="floor", quantity=1)
        for method, path, body in (("POST", "/admin/venues", {"name": "V", "areas": [
                                       {"name": "A", "category": "ga", "capacity": 1}]}),
                                   ("POST", "/admin/events", {"venue_id": self.venue["id"], "title": "T",
                                                              "starts_at": "2030-01-01T00:00:00Z",
                                                              "currency": "EUR",
                                                              "prices": {"floor": 1, "ga": 1}}),
                                   ("PATCH", "/admin/events/%s" % self.eid, {"status": "paused"}),
                                   ("GET", "/admin/events/%s/sales" % self.eid, None),
                                   ("POST", "/admin/orders/%s/refund" % o["id"], None)):
            with self.subTest(method=method, path=path):
                self.assertError(self.call(method, path, body, self.staff), 403, "forbidden")
                self.assertError(self.call(method, path, body, self.user), 403, "forbidden")
        self.assertEqual(self.call("GET", "/events/%s" % self.eid).body["event"]["status"], "on_sale")
        self.assertEqual(self.call("GET", "/orders/%s" % o["id"], None, self.user).body["order"]["status"],
                         "confirmed")

    def test_tickets_of_other_users_are_hidden(self):
        o = self.buy(self.user, self.eid, category="floor", quantity=1)
        other = self.signup()
        self.assertError(self.call("GET", "/orders/%s" % o["id"], None, other), 404, "not_found")
        self.assertError(self.call("GET", "/tickets/%s/qr.svg" % o["tickets"][0]["id"], None, other),
                         404, "not_found")


if __name__ == "__main__":
    unittest.main()
