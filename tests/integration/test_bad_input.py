"""Black-box tests of malformed requests: a table of broken JSON, wrong types, overlong
fields, bad bytes, broken HTTP framing, oversized heads and odd request targets, sent
over raw sockets. Every case must get a 4xx answer with the JSON error shape (never a
5xx, a hang or a crash), must change nothing (no user is created: checked by logging
in), and the server must still answer /healthz afterwards.

Run from the repository root:
    python3 -m unittest tests/integration/test_bad_input.py
    python3 tests/integration/test_bad_input.py
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (  # noqa: E402
    API, DEFAULT_PASSWORD, ServerTestCase, login_user, raw_exchange, unique_email,
)

SIGNUP = API + "/auth/signup"
LOGIN = API + "/auth/login"
PW = DEFAULT_PASSWORD


def http(request_line, headers=(), body=b"", host=True):
    """A raw request: request line, headers (pairs of str or bytes), body bytes."""
    lines = [request_line if isinstance(request_line, bytes) else request_line.encode("latin-1")]
    if host:
        lines.append(b"Host: 127.0.0.1")
    for name, value in headers:
        name = name if isinstance(name, bytes) else name.encode("latin-1")
        value = value if isinstance(value, bytes) else value.encode("latin-1")
        lines.append(name + b": " + value)
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def post(body, path=SIGNUP, ctype="application/json", length=None, extra=()):
    """A POST with a body; Content-Length is right unless `length` is given."""
    headers = []
    if ctype is not None:
        headers.append(("Content-Type", ctype))
    if length is not False:
        headers.append(("Content-Length", str(len(body)) if length is None else length))
    headers.extend(extra)
    return http("POST %s HTTP/1.1" % path, headers, body)


def js(value):
    return json.dumps(value).encode()


def valid(email, **override):
    body = {"email": email, "password": PW, "name": "Bad Input"}
    body.update(override)
    return body


def chunked(*chunks, end=b"0\r\n\r\n"):
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + end


class Case:
    def __init__(self, name, build, statuses=(400,), code=None, field=None, emails=1,
                 timeout=6.0, not_in_body=None):
        self.name = name
        self.build = build          # function(emails) -> bytes
        self.statuses = statuses    # allowed statuses (all 4xx)
        self.code = code            # required error code, when the contract names one
        self.field = field          # required error field
        self.emails = emails        # how many fresh e-mails the request uses
        self.timeout = timeout
        self.not_in_body = not_in_body


INV = "invalid_request"
LONG_EMAIL = "a" * 64 + "@" + "b" * 63 + "." + "b" * 63 + "." + "b" * 58 + ".com"
assert len(LONG_EMAIL) == 255


def nested_arrays(depth):
    return b"[" * depth + b"]" * depth


def nested_objects(depth):
    return b'{"a":' * depth + b"1" + b"}" * depth


CASES = [
    # ---------------------------------------------------------------- JSON syntax
    Case("broken_json", lambda e: post(b'{"email": "%s", "password": ' % e[0].encode()), code=INV),
    Case("unterminated_string", lambda e: post(
        b'{"email": "%s", "password": "%s", "name": "N}' % (e[0].encode(), PW.encode())), code=INV),
    Case("trailing_garbage", lambda e: post(js(valid(e[0])) + b"garbage"), code=INV),
    Case("two_objects", lambda e: post(js(valid(e[0])) + js(valid(e[1]))), code=INV, emails=2),
    Case("trailing_comma", lambda e: post(js(valid(e[0]))[:-1] + b",}"), code=INV),
    Case("single_quotes", lambda e: post(
        ("{'email': '%s', 'password': '%s', 'name': 'N'}" % (e[0], PW)).encode()), code=INV),
    Case("comment", lambda e: post(b"/* hi */ " + js(valid(e[0]))), code=INV),
    Case("nan_literal", lambda e: post(js(valid(e[0]))[:-1] + b', "x": NaN}'), code=INV),
    Case("raw_control_char_in_string", lambda e: post(
        js(valid(e[0], name="line1__NL__line2")).replace(b"__NL__", b"\n")), code=INV),
    Case("empty_body", lambda e: post(b""), code=INV, emails=0),
    Case("whitespace_body", lambda e: post(b"   \r\n\t  "), code=INV, emails=0),
    # ---------------------------------------------------------------- shapes and types
    Case("top_level_array", lambda e: post(js([valid(e[0])])), code=INV),
    Case("top_level_string", lambda e: post(b'"hello"'), code=INV, emails=0),
    Case("top_level_null", lambda e: post(b"null"), code=INV, emails=0),
    Case("top_level_number", lambda e: post(b"42"), code=INV, emails=0),
    Case("email_number", lambda e: post(js(valid(12345))), code=INV, field="email", emails=0),
    Case("email_bool", lambda e: post(js(valid(True))), code=INV, field="email", emails=0),
    Case("password_array", lambda e: post(js(valid(e[0], password=[PW]))), code=INV, field="password"),
    Case("name_object", lambda e: post(js(valid(e[0], name={"first": "A"}))), code=INV, field="name"),
    Case("name_null", lambda e: post(js(valid(e[0], name=None))), code=INV, field="name"),
    Case("login_wrong_types", lambda e: post(js({"email": [], "password": {}}), path=LOGIN),
         code=INV, emails=0),
    # ---------------------------------------------------------------- lengths
    Case("email_over_254", lambda e: post(js(valid(LONG_EMAIL))), code=INV, field="email", emails=0),
    Case("name_over_200", lambda e: post(js(valid(e[0], name="n" * 201))), code=INV, field="name"),
    Case("password_over_1024", lambda e: post(js(valid(e[0], password="p" * 1025))), code=INV,
         field="password"),
    # ---------------------------------------------------------------- NUL, UTF-8, surrogates
    Case("nul_escaped_in_email", lambda e: post(js(valid(e[0] + "\u0000x"))), code=INV),
    Case("nul_escaped_in_name", lambda e: post(js(valid(e[0], name="a\u0000b"))), code=INV),
    Case("nul_escaped_in_password", lambda e: post(js(valid(e[0], password=PW + "\u0000"))), code=INV),
    Case("nul_raw_in_string", lambda e: post(
        js(valid(e[0], name="a__NUL__b")).replace(b"__NUL__", b"\x00")), code=INV),
    Case("nul_raw_between_tokens", lambda e: post(js(valid(e[0])).replace(b", ", b",\x00 ", 1)), code=INV),
    Case("invalid_utf8_byte", lambda e: post(
        js(valid(e[0], name="a__X__b")).replace(b"__X__", b"\xff\xfe")), code=INV),
    Case("overlong_utf8", lambda e: post(
        js(valid(e[0], name="a__X__b")).replace(b"__X__", b"\xc0\xaf")), code=INV),
    Case("truncated_utf8", lambda e: post(
        js(valid(e[0], name="ab__X__")).replace(b"__X__", b"\xe2\x82")), code=INV),
    Case("utf8_encoded_surrogate", lambda e: post(
        js(valid(e[0], name="a__X__b")).replace(b"__X__", b"\xed\xa0\x80")), code=INV),
    Case("invalid_utf8_in_email", lambda e: post(
        js(valid("__X__" + e[0])).replace(b"__X__", b"\xff")), code=INV),
    Case("lone_high_surrogate_escape", lambda e: post(
        js(valid(e[0], name="a__X__b")).replace(b"__X__", b"\\ud800")), code=INV),
    Case("lone_low_surrogate_escape", lambda e: post(
        js(valid(e[0], name="a__X__b")).replace(b"__X__", b"\\udc00")), code=INV),
    Case("high_surrogate_then_letter", lambda e: post(
        js(valid(e[0], password=PW + "__X__")).replace(b"__X__", b"\\ud83d\\u0041")), code=INV),
    Case("bad_escape", lambda e: post(
        js(valid(e[0], name="a__X__b")).replace(b"__X__", b"\\x41")), code=INV),
    # ---------------------------------------------------------------- pathological JSON
    Case("nested_arrays_10000", lambda e: post(
        js(valid(e[0], name="__X__")).replace(b'"__X__"', nested_arrays(10000))), code=INV),
    Case("nested_objects_10000", lambda e: post(nested_objects(10000)), code=INV, emails=0),
    Case("nested_unclosed_100000", lambda e: post(b"[" * 100000), code=INV, emails=0),
    Case("huge_integer_literal", lambda e: post(
        js(valid(e[0], name="__X__")).replace(b'"__X__"', b"9" * 20000)), code=INV),
    Case("huge_exponent", lambda e: post(
        js(valid(e[0], password="__X__")).replace(b'"__X__"', b"1e999999999")), code=INV),
    Case("duplicate_keys", lambda e: post(
        b'{"email": "%s", "email": "%s", "password": "%s", "name": "Dup"}'
        % (e[0].encode(), e[1].encode(), PW.encode())), code=INV, emails=2),
    # ---------------------------------------------------------------- content type
    Case("no_content_type", lambda e: post(js(valid(e[0])), ctype=None), (415,), "unsupported_media_type"),
    Case("text_plain", lambda e: post(js(valid(e[0])), ctype="text/plain"), (415,), "unsupported_media_type"),
    Case("form_urlencoded", lambda e: post(
        ("email=%s&password=%s&name=N" % (e[0], PW.replace(" ", "+"))).encode(),
        ctype="application/x-www-form-urlencoded"), (415,), "unsupported_media_type"),
    # ---------------------------------------------------------------- framing
    Case("content_length_longer_than_body", lambda e: post(js(valid(e[0])), length="400"), (400, 408)),
    Case("content_length_shorter_than_body", lambda e: post(js(valid(e[0])), length="10"), code=INV),
    Case("content_length_not_a_number", lambda e: post(js(valid(e[0])), length="abc")),
    Case("content_length_negative", lambda e: post(js(valid(e[0])), length="-1")),
    Case("content_length_plus_sign", lambda e: post(js(valid(e[0])), length="+%d" % len(js(valid(e[0]))))),
    Case("content_length_huge", lambda e: post(js(valid(e[0])), length="9" * 30), (400, 413)),
    Case("content_length_twice_differing", lambda e: post(
        js(valid(e[0])), extra=[("Content-Length", "3")])),
    Case("content_length_and_chunked", lambda e: post(
        chunked(js({"email": 1})), length="5", extra=[("Transfer-Encoding", "chunked")])),
    Case("chunked_garbage_size", lambda e: post(
        b"zz\r\n" + js(valid(e[0])) + b"\r\n0\r\n\r\n", length=False,
        extra=[("Transfer-Encoding", "chunked")])),
    Case("chunked_size_overflow", lambda e: post(
        b"f" * 40 + b"\r\n" + js(valid(e[0])) + b"\r\n0\r\n\r\n", length=False,
        extra=[("Transfer-Encoding", "chunked")]), (400, 413)),
    Case("chunked_data_longer_than_size", lambda e: post(
        b"5\r\n" + js(valid(e[0])) + b"\r\n0\r\n\r\n", length=False,
        extra=[("Transfer-Encoding", "chunked")])),
    # ---------------------------------------------------------------- head
    Case("header_over_16k", lambda e: http("GET /healthz HTTP/1.1", [("X-Big", "a" * 20000)]),
         (400, 431), emails=0),
    Case("headers_total_over_16k_on_post", lambda e: post(
        js(valid(e[0])), extra=[("X-Pad-%d" % i, "b" * 1000) for i in range(20)]), (400, 431)),
    Case("too_many_headers", lambda e: http("GET /healthz HTTP/1.1",
                                            [("X-H-%d" % i, "v") for i in range(1000)]),
         (400, 431), emails=0),
    Case("header_without_colon", lambda e: http("GET /healthz HTTP/1.1", [], b"")
         .replace(b"\r\n\r\n", b"\r\nThis is not a header\r\n\r\n"), emails=0),
    Case("space_before_colon", lambda e: http("GET /healthz HTTP/1.1", [("X-Test ", "1")]), emails=0),
    Case("control_char_in_header_value", lambda e: http("GET /healthz HTTP/1.1", [("X-Test", b"a\x01b")]),
         emails=0),
    Case("bad_char_in_header_name", lambda e: http("GET /healthz HTTP/1.1", [("X(Bad)", "1")]), emails=0),
    Case("missing_host_http11", lambda e: http("GET /healthz HTTP/1.1", [], host=False), emails=0),
    Case("two_host_headers", lambda e: http("GET /healthz HTTP/1.1", [("Host", "evil.example")]), emails=0),
    # ---------------------------------------------------------------- request line
    Case("invalid_method_token", lambda e: http("G(T /healthz HTTP/1.1"), emails=0),
    Case("unknown_method", lambda e: http("BREW /healthz HTTP/1.1"), (400, 405), emails=0),
    Case("lowercase_method", lambda e: http("get /healthz HTTP/1.1"), (400, 405), emails=0),
    Case("bad_version_x", lambda e: http("GET /healthz HTTP/1.x"), emails=0),
    Case("bad_version_protocol", lambda e: http("GET /healthz HTTX/1.1"), emails=0),
    # 505 is what RFC 9110 names for a well-formed but unsupported major version.
    Case("unsupported_version", lambda e: http("GET /healthz HTTP/3.0"), (400, 505), emails=0),
    Case("missing_version", lambda e: b"GET /healthz\r\n\r\n", (400,), emails=0),
    Case("absolute_form_target", lambda e: http("GET http://example.com/api/v1/nope HTTP/1.1"),
         (400, 404), emails=0),
    Case("asterisk_target", lambda e: http("GET * HTTP/1.1"), (400, 404), emails=0),
    Case("authority_target", lambda e: http("GET example.com:80 HTTP/1.1"), (400, 404), emails=0),
    Case("dot_dot_traversal", lambda e: http("GET /../../../../etc/passwd HTTP/1.1"), (400, 404),
         emails=0, not_in_body=b"root:"),
    Case("encoded_dot_dot", lambda e: http("GET /api/v1/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1"),
         (400, 404), emails=0, not_in_body=b"root:"),
    Case("bad_percent_encoding", lambda e: http("GET /api/v1/events/%zz HTTP/1.1"), (400, 404), emails=0),
    Case("truncated_percent_encoding", lambda e: http("GET /api/v1/events/% HTTP/1.1"), (400, 404), emails=0),
    Case("percent_encoded_nul", lambda e: http("GET /healthz%00 HTTP/1.1"), (400, 404), emails=0),
    Case("raw_non_ascii_target", lambda e: http(b"GET /caf\xc3\xa9\xff HTTP/1.1"), (400, 404), emails=0),
    Case("url_over_8k", lambda e: http("GET /api/v1/events/" + "a" * 9000 + " HTTP/1.1"),
         (400, 414), emails=0),
    Case("tls_client_hello", lambda e: b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(64),
         (400, 408), emails=0),
    Case("binary_garbage_line", lambda e: b"\x00\x01\x02\x03 garbage \xff\xfe\r\n\r\n", (400,), emails=0),
]


class BadInputTests(ServerTestCase):
    server_env = {
        "BOXOFFICE_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000",
        "BOXOFFICE_HEADER_TIMEOUT_MS": "1000",
        "BOXOFFICE_BODY_TIMEOUT_MS": "1000",
    }

    def test_table_has_enough_cases(self):
        self.assertGreaterEqual(len(CASES), 30)
        self.assertEqual(len({c.name for c in CASES}), len(CASES), "case names must be unique")

    def run_case(self, case):
        emails = [unique_email("bad-" + case.name.replace("_", "-")) for _ in range(case.emails)]
        data = case.build(emails)
        resp, reader = raw_exchange(self.server.port, data, timeout=case.timeout)
        self.assertIsNotNone(resp, "no HTTP answer (connection %s)"
                             % ("reset" if reader.reset else "closed" if reader.eof else "timed out"))
        if max(case.statuses) < 500:
            self.assertLess(resp.status, 500, "5xx answer: %r" % resp)
        self.assertIn(resp.status, case.statuses, "unexpected status: %r" % resp)
        self.assertTrue(resp.header("content-type", "").startswith("application/json"),
                        "error answer is not JSON: %r" % resp)
        self.assertError(resp, resp.status, case.code, case.field)
        self.assertTrue(resp.header("x-request-id"), "no X-Request-Id")
        if case.not_in_body:
            self.assertNotIn(case.not_in_body, resp.body)
        # Nothing changed: no user was created from the request.
        for email in emails:
            login = login_user(self.client, email, PW)
            self.assertEqual(login.status, 401, "user %s was created by a bad request: %r" % (email, login))
        self.assertServerAlive()
        self.assertEqual(self.client.get("/healthz").status, 200)

    def test_zz_server_healthy_after_table(self):
        for case in CASES:
            raw_exchange(self.server.port, case.build([unique_email() for _ in range(case.emails)]),
                         timeout=case.timeout)
        self.assertServerAlive()
        self.assertEqual(self.client.get("/healthz").status, 200)
        five_hundreds = [e for e in self.server.logs()
                         if e.get("msg") == "request" and str(e.get("status", "")).startswith("5")
                         and str(e.get("status")) != "505"]
        self.assertEqual(five_hundreds, [], "access log shows 5xx answers")


def _make_test(case):
    def test(self):
        self.run_case(case)
    test.__doc__ = "bad input: %s" % case.name
    return test


for _case in CASES:
    setattr(BadInputTests, "test_case_%s" % _case.name, _make_test(_case))
del _case


if __name__ == "__main__":
    unittest.main()
