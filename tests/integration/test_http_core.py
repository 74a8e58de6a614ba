"""Black-box tests of the HTTP layer: error shapes (404, 405, 413, 415), request ids
and access logs, keep-alive under 200 concurrent clients, overload answers (in-flight
and connection caps), header/body/idle timeouts, /healthz, /readyz, /metrics,
configuration errors and graceful shutdown.

Run from the repository root:
    python3 -m unittest tests/integration/test_http_core.py
    python3 tests/integration/test_http_core.py
"""

import concurrent.futures
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (  # noqa: E402
    API, DEFAULT_PASSWORD, Client, ResponseReader, Server, ServerTestCase, clean_env, connect,
    login_user, metric_value, parse_metrics, port_accepts, raw_exchange, require_binary,
    signup_user, unique_email, wait_until, keep_tmp,
)

SIGNUP = API + "/auth/signup"
ME = API + "/me"


def signup_body(email=None, name="Core Tester"):
    return {"email": email or unique_email("core"), "password": DEFAULT_PASSWORD, "name": name}


class CoreTests(ServerTestCase):
    server_env = {"BOXOFFICE_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000"}

    # ------------------------------------------------------------------ error shapes

    def test_unknown_paths_are_404_json(self):
        for method, path in (("GET", "/"), ("GET", "/nope"), ("GET", "/api/v1"),
                             ("GET", "/api/v1/"), ("GET", "/api/v1/nope"), ("GET", "/api/v2/me"),
                             ("GET", "/API/V1/ME"), ("GET", "/healthz/extra"),
                             ("POST", "/api/v1/nope"), ("DELETE", "/nope/deeper/still")):
            with self.subTest(method=method, path=path):
                body = {"a": 1} if method == "POST" else None
                resp = self.client.request(method, path, body)
                self.assertError(resp, 404, "not_found")
                self.assertTrue(resp.header("Content-Type", "").startswith("application/json"), resp.headers)
                self.assertTrue(resp.header("X-Request-Id"))

    def test_wrong_method_is_405_with_allow(self):
        for method, path, allowed in (("GET", SIGNUP, "POST"), ("PUT", API + "/auth/login", "POST"),
                                      ("DELETE", API + "/auth/logout", "POST"),
                                      ("DELETE", ME, "GET"), ("POST", ME, "GET"),
                                      ("POST", "/healthz", "GET"), ("PUT", "/readyz", "GET"),
                                      ("POST", "/metrics", "GET")):
            with self.subTest(method=method, path=path):
                body = {} if method in ("POST", "PUT") else None
                resp = self.client.request(method, path, body)
                self.assertError(resp, 405, "method_not_allowed")
                allow = resp.header("Allow")
                self.assertIsNotNone(allow, "405 without Allow header")
                methods = {m.strip().upper() for m in allow.split(",")}
                self.assertIn(allowed, methods, "Allow: %s" % allow)
                self.assertNotIn(method, methods, "Allow: %s" % allow)

    def _big_signup(self, size, email):
        prefix = ('{"email":"%s","password":"%s","name":"' % (email, DEFAULT_PASSWORD)).encode()
        suffix = b'"}'
        return prefix + b"n" * (size - len(prefix) - len(suffix)) + suffix

    def _post_raw(self, path, body, headers=None, timeout=10.0):
        head = ["POST %s HTTP/1.1" % path, "Host: 127.0.0.1", "Content-Type: application/json",
                "Content-Length: %d" % len(body)]
        head += ["%s: %s" % kv for kv in (headers or {}).items()]
        data = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        resp, _ = raw_exchange(self.server.port, data, timeout=timeout)
        return resp

    def test_body_over_one_mib_is_413(self):
        email = unique_email("big")
        body = self._big_signup(1024 * 1024 + 1, email)
        self.assertEqual(len(body), 1048577)
        resp = self._post_raw(SIGNUP, body)
        self.assertIsNotNone(resp, "connection closed without an answer")
        self.assertError(resp, 413, "payload_too_large")
        self.assertTrue(resp.header("x-request-id"))
        self.assertEqual(login_user(self.client, email, DEFAULT_PASSWORD).status, 401)

    def test_declared_length_over_one_mib_is_413_at_once(self):
        # Only the headers are sent: the server can refuse without reading a body.
        data = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 50000000\r\n\r\n" % SIGNUP).encode()
        resp, _ = raw_exchange(self.server.port, data, timeout=5)
        self.assertIsNotNone(resp, "no answer within 5 s to a declared 50 MB body")
        self.assertError(resp, 413, "payload_too_large")

    def test_chunked_body_over_one_mib_is_413(self):
        chunk = b"a" * 65536
        data = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n" % SIGNUP).encode()
        data += (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 17 + b"0\r\n\r\n"
        resp, _ = raw_exchange(self.server.port, data, timeout=10)
        self.assertIsNotNone(resp, "connection closed without an answer")
        self.assertError(resp, 413, "payload_too_large")

    def test_body_of_exactly_one_mib_is_not_413(self):
        email = unique_email("edge")
        body = self._big_signup(1024 * 1024, email)
        resp = self._post_raw(SIGNUP, body)
        self.assertIsNotNone(resp)
        # Within the limit: it reaches validation, and the name is far too long.
        self.assertError(resp, 400, "invalid_request", field="name")

    def test_body_without_json_content_type_is_415(self):
        body = signup_body()
        for ctype in (None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                      "application/jsonp", "text/json", "application/xml"):
            with self.subTest(content_type=ctype):
                email = unique_email("ctype")
                resp = self.client.post(SIGNUP, dict(body, email=email), content_type=ctype)
                self.assertError(resp, 415, "unsupported_media_type")
                self.assertEqual(login_user(self.client, email, DEFAULT_PASSWORD).status, 401)
        resp = self.client.post(API + "/auth/login", {"email": "a@example.com", "password": "x"},
                                content_type="text/plain")
        self.assertError(resp, 415, "unsupported_media_type")

    def test_json_content_type_with_parameters_is_accepted(self):
        resp = self.client.post(SIGNUP, signup_body(), content_type="application/json; charset=utf-8")
        self.assertEqual(resp.status, 201, resp)

    # ------------------------------------------------------------------ request ids and logs

    def test_request_id_generated_and_unique(self):
        ids = set()
        for path in ("/healthz", "/nope", ME, "/healthz"):
            resp = self.client.get(path)
            rid = resp.header("X-Request-Id")
            self.assertTrue(rid, "no X-Request-Id on %s" % path)
            self.assertLessEqual(len(rid), 128)
            ids.add(rid)
        self.assertEqual(len(ids), 4, "generated request ids must differ: %r" % ids)

    def test_request_id_echoed(self):
        for rid in ("abc-123_XYZ", "f" * 128, "node-1:req.42", str(uuid.uuid4())):
            with self.subTest(rid=rid):
                resp = self.client.get("/healthz", headers={"X-Request-Id": rid})
                self.assertEqual(resp.header("X-Request-Id"), rid)
        # Echoed on errors too.
        resp = self.client.post(SIGNUP, {"email": 1}, headers={"X-Request-Id": "bad-input-1"})
        self.assertEqual(resp.status, 400)
        self.assertEqual(resp.header("X-Request-Id"), "bad-input-1")

    def test_request_id_with_printable_punctuation_echoed(self):
        # "Sane" is up to 128 printable ASCII characters: ids from tracing systems and
        # base64 ids carry '/', '+', '=' and ';'.
        for rid in ("req:1/2.3=4", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
                    "dGVzdC1pZA+/=="):
            with self.subTest(rid=rid):
                resp = self.client.get("/healthz", headers={"X-Request-Id": rid})
                self.assertEqual(resp.header("X-Request-Id"), rid)

    def test_insane_request_id_replaced(self):
        too_long = "g" * 129
        resp = self.client.get("/healthz", headers={"X-Request-Id": too_long})
        self.assertEqual(resp.status, 200)
        rid = resp.header("X-Request-Id")
        self.assertTrue(rid)
        self.assertNotEqual(rid, too_long)
        self.assertLessEqual(len(rid), 128)
        # Non-ASCII bytes are not printable ASCII: not echoed.
        data = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: caf\xc3\xa9\x7f\r\n\r\n"
        raw, _ = raw_exchange(self.server.port, data, timeout=5)
        self.assertIsNotNone(raw)
        self.assertLess(raw.status, 500)
        echoed = raw.header("x-request-id")
        self.assertTrue(echoed)
        self.assertNotIn("\x7f", echoed)
        self.assertTrue(all(0x20 < ord(c) < 0x7f for c in echoed), repr(echoed))

    def test_access_log_line_carries_request_id(self):
        rid = "log-check-" + uuid.uuid4().hex
        resp = self.client.get("/healthz", headers={"X-Request-Id": rid})
        self.assertEqual(resp.status, 200)
        entry = self.server.wait_for_log(lambda e: e.get("msg") == "request" and e.get("request_id") == rid)
        self.assertIsNotNone(entry, "no access log line with request_id %s" % rid)
        self.assertEqual(entry.get("method"), "GET")
        self.assertIsInstance(entry.get("route"), str)
        self.assertIn("healthz", entry["route"])
        self.assertEqual(int(entry.get("status")), 200)
        self.assertIsInstance(entry.get("duration_ms"), (int, float))
        self.assertGreaterEqual(entry["duration_ms"], 0)
        self.assertEqual(entry.get("client"), "127.0.0.1")
        # A generated id is logged too, here for an error answer.
        resp = self.client.get("/no-such-page")
        generated = resp.header("X-Request-Id")
        entry = self.server.wait_for_log(lambda e: e.get("msg") == "request" and e.get("request_id") == generated)
        self.assertIsNotNone(entry, "no access log line with generated request_id %s" % generated)
        self.assertEqual(int(entry.get("status")), 404)

    def test_access_log_never_contains_secrets(self):
        user = signup_user(self.client, password="SuperSecretPassword42")
        self.client.get(ME, token=user.token)
        self.client.get(ME, cookie=user.token)
        rid = "secret-check-" + uuid.uuid4().hex
        self.client.get("/healthz", headers={"X-Request-Id": rid})
        self.server.wait_for_log(lambda e: e.get("request_id") == rid)
        for line in self.server.lines():
            self.assertNotIn("SuperSecretPassword42", line)
            self.assertNotIn(user.token, line)

    # ------------------------------------------------------------------ operations

    def test_healthz_and_readyz(self):
        for path in ("/healthz", "/readyz"):
            with self.subTest(path=path):
                resp = self.client.get(path)
                self.assertEqual(resp.status, 200, resp)
                self.assertIsInstance(resp.body, dict, resp)
                self.assertEqual(resp.body.get("status"), "ok")

    def test_metrics_after_traffic(self):
        client = self.new_client()
        for _ in range(7):
            self.assertEqual(client.get("/healthz").status, 200)
        marker = uuid.uuid4().hex
        self.assertEqual(client.get("/unmatched-" + marker).status, 404)
        resp = client.get("/metrics")
        self.assertEqual(resp.status, 200)
        self.assertTrue(resp.header("Content-Type", "").startswith("text/plain"), resp.headers)
        text = resp.raw.decode("utf-8")
        samples = parse_metrics(text)
        for name in ("boxoffice_http_requests_total", "boxoffice_http_request_duration_seconds_bucket",
                     "boxoffice_http_inflight_requests", "boxoffice_http_rejected_overload_total"):
            self.assertIn(name, {s[0] for s in samples}, "metric %s missing" % name)
        self.assertRegex(text, r"(?m)^# TYPE boxoffice_http_requests_total counter$")
        self.assertRegex(text, r"(?m)^# TYPE boxoffice_http_request_duration_seconds histogram$")
        healthz = sum(v for n, l, v in samples if n == "boxoffice_http_requests_total"
                      and "healthz" in l.get("route", "") and l.get("status") == "200")
        self.assertGreaterEqual(healthz, 7, "healthz count too low")
        self.assertTrue(any(n == "boxoffice_http_requests_total" and "route" in l and l.get("status") == "404"
                            for n, l, v in samples), "no requests_total sample with status 404")
        buckets = [(l, v) for n, l, v in samples if n == "boxoffice_http_request_duration_seconds_bucket"]
        self.assertTrue(any(l.get("le") == "+Inf" for l, v in buckets), "no le=\"+Inf\" bucket")
        self.assertTrue(all("route" in l for l, v in buckets), "buckets without route label")
        self.assertIsNotNone(metric_value(samples, "boxoffice_http_request_duration_seconds_count"))
        self.assertIsNotNone(metric_value(samples, "boxoffice_http_request_duration_seconds_sum"))
        self.assertGreaterEqual(metric_value(samples, "boxoffice_http_inflight_requests"), 0)
        self.assertEqual(metric_value(samples, "boxoffice_http_rejected_overload_total"), 0)
        # Unknown paths must not become label values (bounded cardinality).
        self.assertNotIn(marker, text)

    # ------------------------------------------------------------------ keep-alive and concurrency

    def test_keep_alive_reuses_one_connection(self):
        client = self.new_client()
        for path in ("/healthz", "/readyz", "/nope", ME, "/healthz"):
            client.get(path)
        user = signup_user(client)
        client.get(ME, token=user.token)
        client.post(SIGNUP, {"email": 5})  # 400 keeps the connection too
        client.get("/healthz")
        self.assertEqual(client.connections_opened, 1, "the server closed a keep-alive connection")

    def test_200_concurrent_keep_alive_clients(self):
        n = 200
        barrier = threading.Barrier(n, timeout=30)

        def worker(i):
            client = Client(self.server.port, timeout=30)
            try:
                client._connection()
                barrier.wait()
                statuses = []
                statuses.append(client.get("/healthz").status)
                email = unique_email("crowd%d" % i)
                resp = client.post(SIGNUP, signup_body(email))
                statuses.append(resp.status)
                token = resp.body.get("token") if isinstance(resp.body, dict) else None
                me = client.get(ME, token=token or "x")
                statuses.append(me.status)
                if me.status == 200 and me.body["user"]["email"] != email:
                    statuses.append("wrong user")
                statuses.append(client.get("/readyz").status)
                statuses.append(client.get("/nope").status)
                statuses.append(client.get("/healthz").status)
                return statuses, client.connections_opened
            finally:
                client.close()

        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
            results = list(pool.map(worker, range(n)))
        elapsed = time.monotonic() - started
        expected = [200, 201, 200, 200, 404, 200]
        bad = [(i, r) for i, r in enumerate(results) if r[0] != expected]
        self.assertEqual(bad, [], "clients with unexpected answers (expected %r)" % expected)
        reconnected = [i for i, r in enumerate(results) if r[1] != 1]
        self.assertEqual(reconnected, [], "clients whose keep-alive connection was closed")
        self.assertLess(elapsed, 30)
        self.assertEqual(self.client.get("/healthz").status, 200)


class OverloadTests(ServerTestCase):
    server_env = {"BOXOFFICE_MAX_INFLIGHT": "2", "BOXOFFICE_PASSWORD_HASH_COST": "interactive"}

    def test_inflight_cap_answers_503_fast(self):
        n = 40
        barrier = threading.Barrier(n, timeout=30)

        def worker(i):
            client = Client(self.server.port, timeout=60)
            try:
                client._connection()
                email = unique_email("rush%d" % i)
                barrier.wait()
                resp = client.post(SIGNUP, signup_body(email))
                return email, resp
            finally:
                client.close()

        with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
            results = list(pool.map(worker, range(n)))
        statuses = sorted(r.status for _, r in results)
        self.assertTrue(all(s in (201, 503) for s in statuses), "only 201 and 503 expected: %r" % statuses)
        rejected = [(e, r) for e, r in results if r.status == 503]
        accepted = [(e, r) for e, r in results if r.status == 201]
        self.assertGreater(len(rejected), 0, "no 503 with 40 concurrent sign-ups and MAX_INFLIGHT=2")
        self.assertGreater(len(accepted), 0, "nothing was served")
        slow = []
        for email, resp in rejected:
            self.assertError(resp, 503, "overloaded")
            retry = resp.header("Retry-After")
            self.assertIsNotNone(retry, "503 without Retry-After")
            self.assertRegex(retry, r"^\d+$")
            self.assertGreaterEqual(int(retry), 1)
            self.assertTrue(resp.header("X-Request-Id"))
            if resp.elapsed >= 0.5:
                slow.append(round(resp.elapsed, 3))
        self.assertEqual(slow, [], "503 answers must be fast (< 0.5 s); slow ones took these seconds")
        # The server serves normally afterwards, and the refused sign-ups left nothing behind.
        self.assertEqual(self.client.get("/healthz").status, 200)
        for email, _ in rejected[:2]:
            resp = self.client.post(SIGNUP, signup_body(email))
            self.assertEqual(resp.status, 201, "refused sign-up %s must not have created the user: %r"
                             % (email, resp))
        email, _ = accepted[0]
        self.assertEqual(login_user(self.client, email, DEFAULT_PASSWORD).status, 200)
        samples = parse_metrics(self.client.get("/metrics").raw.decode())
        self.assertGreaterEqual(metric_value(samples, "boxoffice_http_rejected_overload_total") or 0,
                                len(rejected))


class ConnectionCapTests(ServerTestCase):
    server_env = {"BOXOFFICE_MAX_CONNECTIONS": "5"}

    REQUEST = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"

    def _open(self):
        sock = connect(self.server.port)
        self.addCleanup(sock.close)
        return sock, ResponseReader(sock)

    def test_connection_cap(self):
        held = []
        for _ in range(5):
            sock, reader = self._open()
            sock.sendall(self.REQUEST)
            resp = reader.read_response(5)
            self.assertIsNotNone(resp)
            self.assertEqual(resp.status, 200)
            held.append((sock, reader))
        # The sixth connection: the server may answer at once or after the request.
        sock, reader = self._open()
        resp = None
        try:
            resp = reader.read_response(0.5)
        except socket.timeout:
            resp = None
        if resp is None and not reader.eof:
            try:
                sock.sendall(self.REQUEST)
            except OSError:
                pass
            resp = reader.read_response(5)
        self.assertIsNotNone(resp, "sixth connection closed without a 503 answer")
        self.assertError(resp, 503, "overloaded")
        self.assertRegex(resp.header("retry-after", ""), r"^\d+$")
        self.assertTrue(reader.wait_closed(3), "the over-cap connection must be closed")
        # The held connections still work.
        for s, r in held:
            s.sendall(self.REQUEST)
            again = r.read_response(5)
            self.assertIsNotNone(again)
            self.assertEqual(again.status, 200)
        # Freeing one makes room for a new one.
        held[0][0].close()

        def fresh_ok():
            resp, _ = raw_exchange(self.server.port, self.REQUEST, timeout=5)
            return resp is not None and resp.status == 200

        self.assertTrue(wait_until(fresh_ok, 5, 0.1), "no room after a connection closed")
        self.assertServerAlive()


class TimeoutTests(ServerTestCase):
    server_env = {"BOXOFFICE_HEADER_TIMEOUT_MS": "500", "BOXOFFICE_BODY_TIMEOUT_MS": "500",
                  "BOXOFFICE_IDLE_TIMEOUT_MS": "700"}

    def _trickle(self, sock, data, interval, stop):
        try:
            for i in range(len(data)):
                if stop.is_set():
                    return
                sock.send(data[i:i + 1])
                time.sleep(interval)
        except OSError:
            pass

    def _expect_408_while_trickling(self, prefix, trickle):
        sock = connect(self.server.port)
        self.addCleanup(sock.close)
        stop = threading.Event()
        started = time.monotonic()
        sock.sendall(prefix)
        thread = threading.Thread(target=self._trickle, args=(sock, trickle, 0.05, stop), daemon=True)
        thread.start()
        reader = ResponseReader(sock)
        try:
            resp = reader.read_response(5)
        except socket.timeout:
            resp = None
        finally:
            stop.set()
            thread.join(2)
        elapsed = time.monotonic() - started
        self.assertIsNotNone(resp, "connection closed after %.2fs without a 408" % elapsed)
        self.assertError(resp, 408, "request_timeout")
        self.assertGreater(elapsed, 0.35, "408 too early")
        self.assertLess(elapsed, 2.5, "the deadline must cover the whole header/body, not each read")
        self.assertTrue(reader.wait_closed(2), "connection must close after 408")

    def test_slow_headers_get_408_and_close(self):
        # Headers a byte every 50 ms, never finished: the header deadline (500 ms) ends it.
        trickle = ("X-Slow: " + "a" * 200 + "\r\n").encode()
        self._expect_408_while_trickling(b"", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + trickle)

    def test_slow_body_gets_408_and_close(self):
        head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 400\r\n\r\n" % SIGNUP).encode()
        self._expect_408_while_trickling(head, b'{"email":' + b" " * 390)

    def test_stalled_body_gets_408(self):
        head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 100\r\n\r\n{\"email\":" % SIGNUP).encode()
        resp, reader = raw_exchange(self.server.port, head, timeout=5, wait_close=2.0)
        self.assertIsNotNone(resp)
        self.assertError(resp, 408, "request_timeout")
        self.assertLess(resp.elapsed, 2.5)
        self.assertTrue(resp.closed_after, "connection must close after 408")

    def test_headers_in_pieces_within_deadline_are_fine(self):
        sock = connect(self.server.port)
        self.addCleanup(sock.close)
        for piece in (b"GET /heal", b"thz HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"):
            sock.sendall(piece)
            time.sleep(0.08)
        resp = ResponseReader(sock).read_response(5)
        self.assertIsNotNone(resp)
        self.assertEqual(resp.status, 200)

    def test_idle_keep_alive_connection_closed_silently(self):
        sock = connect(self.server.port)
        self.addCleanup(sock.close)
        reader = ResponseReader(sock)
        req = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        sock.sendall(req)
        self.assertEqual(reader.read_response(5).status, 200)
        time.sleep(0.3)  # shorter than the idle timeout: still open
        sock.sendall(req)
        self.assertEqual(reader.read_response(5).status, 200)
        last = time.monotonic()
        closed = reader.wait_closed(4)
        elapsed = time.monotonic() - last
        self.assertTrue(closed, "idle connection still open after %.1fs" % elapsed)
        self.assertEqual(reader.buf, b"", "idle close must be silent")
        self.assertGreater(elapsed, 0.5, "closed before the idle timeout")
        self.assertLess(elapsed, 2.5)

    def test_silent_new_connection_does_not_stay_open(self):
        sock = connect(self.server.port)
        self.addCleanup(sock.close)
        reader = ResponseReader(sock)
        started = time.monotonic()
        try:
            resp = reader.read_response(4)
        except socket.timeout:
            self.fail("a connection that sends nothing stayed open over 4 s")
        elapsed = time.monotonic() - started
        if resp is not None:
            self.assertError(resp, 408, "request_timeout")
        self.assertLess(elapsed, 3)


class BadConfigurationTests(unittest.TestCase):

    def _run_serve(self, env):
        workdir = tempfile.mkdtemp(prefix="boxoffice-it-cfg-")
        try:
            full = {"BOXOFFICE_LISTEN": "127.0.0.1:0", "BOXOFFICE_PASSWORD_HASH_COST": "min"}
            full.update(env)
            try:
                proc = subprocess.run([require_binary(), "serve"], cwd=workdir, env=clean_env(full),
                                      stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                      timeout=10)
            except subprocess.TimeoutExpired as exc:
                return None, exc.stdout, exc.stderr
            return proc.returncode, proc.stdout, proc.stderr
        finally:
            if not keep_tmp():
                shutil.rmtree(workdir, ignore_errors=True)

    def test_bad_settings_stop_serve(self):
        busy = socket.socket()
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        self.addCleanup(busy.close)
        cases = [
            ("BOXOFFICE_LISTEN", "nonsense"),
            ("BOXOFFICE_LISTEN", "127.0.0.1:99999"),
            ("BOXOFFICE_LISTEN", "127.0.0.1:%d" % busy.getsockname()[1]),
            ("BOXOFFICE_MAX_INFLIGHT", "-1"),
            ("BOXOFFICE_MAX_INFLIGHT", "lots"),
            ("BOXOFFICE_MAX_CONNECTIONS", "-5"),
            ("BOXOFFICE_HEADER_TIMEOUT_MS", "soon"),
            ("BOXOFFICE_BODY_TIMEOUT_MS", "-1"),
            ("BOXOFFICE_IDLE_TIMEOUT_MS", "1e99999"),
            ("BOXOFFICE_SHUTDOWN_TIMEOUT_MS", "x"),
            ("BOXOFFICE_SESSION_TTL_SECONDS", "-1"),
            ("BOXOFFICE_LOGIN_WINDOW_SECONDS", "ten"),
            ("BOXOFFICE_LOGIN_MAX_FAILURES_PER_ACCOUNT", "-3"),
            ("BOXOFFICE_PASSWORD_HASH_COST", "extreme"),
            ("BOXOFFICE_DATABASE_URL", "postgres://x"),
            ("BOXOFFICE_TRUSTED_PROXIES", "not-an-address"),
            ("BOXOFFICE_STORAGE_URL", "ftp://posters"),
            ("BOXOFFICE_STORAGE_URL", "s3://?region=eu-west-1"),
            ("BOXOFFICE_PUBLIC_URL", "tickets.example.com"),
            ("BOXOFFICE_IMAGE_WORKERS", "0"),
            ("BOXOFFICE_WEB_ROOT", "/nonexistent/web/dist"),
        ]
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            futures = [(name, value, pool.submit(self._run_serve, {name: value})) for name, value in cases]
            for name, value, fut in futures:
                code, out, err = fut.result()
                with self.subTest(variable=name, value=value):
                    self.assertIsNotNone(code, "serve kept running with %s=%s" % (name, value))
                    self.assertGreater(code, 0, "serve must exit with an error code (not crash): %s" % code)
                    lines = [l for l in (err or "").splitlines() if l.strip()]
                    self.assertEqual(len(lines), 1, "expected one line on stderr, got %r" % lines)
                    self.assertIn(name, lines[0])


class ShutdownTests(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="boxoffice-it-stop-")
        if not keep_tmp():
            self.addCleanup(shutil.rmtree, self.dir, True)

    def test_sigterm_drains_in_flight_requests(self):
        server = Server({"BOXOFFICE_PASSWORD_HASH_COST": "interactive",
                         "BOXOFFICE_SHUTDOWN_TIMEOUT_MS": "15000"}, workdir=self.dir)
        self.addCleanup(server.close)
        server.start()
        n = 20
        barrier = threading.Barrier(n + 1, timeout=30)

        def worker(i):
            client = Client(server.port, timeout=30)
            try:
                client._connection()
                email = unique_email("drain%d" % i)
                barrier.wait()
                try:
                    return email, client.post(SIGNUP, signup_body(email)), None
                except Exception as exc:  # reported below
                    return email, None, exc
            finally:
                client.close()

        monitor = Client(server.port, timeout=5)
        self.addCleanup(monitor.close)
        self.assertEqual(monitor.get("/readyz").status, 200)
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=n)
        self.addCleanup(pool.shutdown)
        futures = [pool.submit(worker, i) for i in range(n)]
        barrier.wait()
        # Wait until the server reports the sign-ups in flight.
        peak = [0]

        def all_in_flight():
            samples = parse_metrics(monitor.get("/metrics").raw.decode())
            value = metric_value(samples, "boxoffice_http_inflight_requests") or 0
            peak[0] = max(peak[0], value)
            return value >= n

        wait_until(all_in_flight, 5, 0.02)
        server.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        # During the drain /readyz must not say 200 (or the port is closed).
        time.sleep(0.1)
        ready_answers = []
        while server.alive() and time.monotonic() - signalled < 20:
            probe = Client(server.port, timeout=2)
            try:
                ready_answers.append(probe.get("/readyz").status)
            except OSError:
                ready_answers.append("closed")
            finally:
                probe.close()
            try:
                ready_answers.append(monitor.get("/readyz").status)
            except Exception:  # closed or refused: the drain may close it
                ready_answers.append("closed")
            time.sleep(0.05)
        results = [f.result(timeout=30) for f in futures]
        code = server.wait(20)
        failures = [(email, resp, exc) for email, resp, exc in results
                    if exc is not None or resp.status != 201 or not isinstance(resp.body, dict)
                    or "token" not in resp.body]
        self.assertEqual(failures, [], "in-flight requests not answered in full during the drain "
                         "(in-flight gauge peaked at %s before SIGTERM)" % peak[0])
        self.assertNotIn(200, ready_answers, "/readyz answered 200 during the drain: %r" % ready_answers)
        self.assertGreaterEqual(peak[0], n, "the sign-ups were never all in flight at once, so the "
                                "drain was not exercised (boxoffice_http_inflight_requests peak)")
        self.assertEqual(code, 0, "exit code after SIGTERM; stderr:\n%s" % server.stderr()[-2000:])
        self.assertFalse(port_accepts(server.port), "port still open after exit")
        # Answered sign-ups are durable: a new server on the same data knows them.
        again = Server({"BOXOFFICE_PASSWORD_HASH_COST": "min"}, workdir=self.dir)
        self.addCleanup(again.close)
        again.start()
        client = again.client()
        self.addCleanup(client.close)
        resp = login_user(client, results[0][0], DEFAULT_PASSWORD)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(again.stop(), 0)

    def test_sigint_with_idle_keep_alive_connection_exits_promptly(self):
        server = Server({"BOXOFFICE_PASSWORD_HASH_COST": "min"}, workdir=self.dir)
        self.addCleanup(server.close)
        server.start()
        client = server.client()
        self.addCleanup(client.close)
        self.assertEqual(client.get("/healthz").status, 200)  # leaves an idle keep-alive connection
        started = time.monotonic()
        server.send_signal(signal.SIGINT)
        code = server.wait(15)
        self.assertEqual(code, 0, "exit code after SIGINT")
        self.assertLess(time.monotonic() - started, 5, "an idle connection must not delay the exit")


if __name__ == "__main__":
    unittest.main()
