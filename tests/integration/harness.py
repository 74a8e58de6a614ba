"""Black-box test harness for the boxoffice server.

Starts the real binary (`boxoffice serve`) in a fresh temporary directory on a free
port, reads its JSON-lines log from stdout, and offers small HTTP helpers:

* `Server`          - one server process: start / stop (SIGTERM) / kill, `url`, `port`,
                      `logs` (parsed JSON log lines), `wait_for_log`.
* `Client`          - a keep-alive JSON client on top of http.client.
* `raw_exchange`    - send arbitrary bytes over a raw socket and parse one response.
* `signup_user`     - create a fresh customer with a unique e-mail address.
* `ServerTestCase`  - unittest base class: one server per test class, started with
                      BOXOFFICE_PASSWORD_HASH_COST=min plus the class's `server_env`.
* `run_cli`         - run another `boxoffice` sub-command (migrate, users add, ...).

Only the Python standard library is used. The binary is found through the
environment variable BOXOFFICE_BIN (default: build/debug/src/app/boxoffice in the
repository). Set BOXOFFICE_TEST_KEEP_TMP=1 to keep the temporary directories.
"""

import collections
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import uuid

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_BIN = os.path.join(REPO_ROOT, "build", "debug", "src", "app", "boxoffice")
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 20.0
DEFAULT_PASSWORD = "correct horse battery staple"
API = "/api/v1"
ERROR_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def binary_path():
    return os.environ.get("BOXOFFICE_BIN") or DEFAULT_BIN


def require_binary():
    path = binary_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise RuntimeError(
            "boxoffice binary not found at %s: build it or set BOXOFFICE_BIN" % path)
    return path


def clean_env(overrides=None):
    """The test process's environment without any inherited BOXOFFICE_* setting,
    plus `overrides` (a value of None removes the variable)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOXOFFICE_")}
    for key, value in (overrides or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    return env


def unique_email(prefix="user"):
    return "%s-%s@example.com" % (prefix, uuid.uuid4().hex[:16])


def keep_tmp():
    return os.environ.get("BOXOFFICE_TEST_KEEP_TMP", "") not in ("", "0")


# --------------------------------------------------------------------------- backends
#
# The same tests run on every backend. BOXOFFICE_TEST_BACKEND picks one:
#   embedded    (default) SQLite under the server's folder and in-process stores
#   production  MariaDB + Redis from `scripts/test-services start DIR`, with
#               BOXOFFICE_TEST_SERVICES=DIR. Every server folder gets a database of its
#               own (made with the schema owner, migrated with `boxoffice migrate`, then
#               served by the application account, which has no DDL rights) and a Redis
#               database number of its own, so tests never see each other's data.

BACKEND_FILE = ".test-backend.json"


def backend_name():
    return os.environ.get("BOXOFFICE_TEST_BACKEND", "embedded")


def _services_env():
    folder = os.environ.get("BOXOFFICE_TEST_SERVICES")
    if not folder:
        raise RuntimeError("BOXOFFICE_TEST_BACKEND=production needs BOXOFFICE_TEST_SERVICES=DIR "
                           "from `scripts/test-services start DIR`")
    values = {}
    with open(os.path.join(folder, "env")) as env_file:
        for line in env_file:
            line = line.strip()
            if line.startswith("export ") and "=" in line:
                key, _, value = line[len("export "):].partition("=")
                values[key] = value.strip("'\"")
    return values


def _with_database(url, database):
    return url.rsplit("/", 1)[0] + "/" + database


def _with_redis_db(url, number):
    return url.rsplit("/", 1)[0] + "/" + str(number)


def _next_redis_db(services_folder):
    """A Redis database number no other server of this test run has had (the test
    services run Redis with 4096 databases); a counter file shared by every test process,
    under an exclusive lock."""
    import fcntl
    with open(os.path.join(services_folder, "redis-db-counter"), "a+") as counter:
        fcntl.flock(counter, fcntl.LOCK_EX)
        counter.seek(0)
        last = int(counter.read().strip() or "0")
        number = last % 4095 + 1
        counter.seek(0)
        counter.truncate()
        counter.write(str(number))
        return number


def backend_env(workdir, share_from=None):
    """Settings that point a server in `workdir` at the test backend; {} when embedded.
    `share_from`: another server folder whose database and Redis this one shares (for
    several instances of one deployment)."""
    if backend_name() == "embedded":
        return {}
    if share_from is not None:
        return backend_env(share_from)
    path = os.path.join(workdir, BACKEND_FILE)
    if os.path.exists(path):
        with open(path) as saved:
            return json.load(saved)
    services = _services_env()
    database = "bo_" + uuid.uuid4().hex[:16]
    owner_url = _with_database(services["BOXOFFICE_MIGRATE_DATABASE_URL"], database)
    app_url = _with_database(services["BOXOFFICE_DATABASE_URL"], database)
    app_user = services["BOXOFFICE_DATABASE_URL"].split("//", 1)[1].split(":", 1)[0]
    owner_user = services["BOXOFFICE_MIGRATE_DATABASE_URL"].split("//", 1)[1].split(":", 1)[0]
    statements = ["CREATE DATABASE `%s` CHARACTER SET utf8mb4" % database]
    for host in ("127.0.0.1", "localhost"):
        statements.append("GRANT ALL PRIVILEGES ON `%s`.* TO '%s'@'%s'" % (database, owner_user, host))
        statements.append("GRANT SELECT, INSERT, UPDATE, DELETE ON `%s`.* TO '%s'@'%s'"
                          % (database, app_user, host))
    subprocess.run(["mariadb", "--socket", services["MARIADB_SOCKET"], "-u", "root", "--batch",
                    "-e", "; ".join(statements)], check=True, timeout=30, capture_output=True)
    migrated = subprocess.run([require_binary(), "migrate"], cwd=workdir, timeout=60,
                              env=clean_env({"BOXOFFICE_DATABASE_URL": owner_url}),
                              capture_output=True, text=True)
    if migrated.returncode != 0:
        raise RuntimeError("migrate failed: " + migrated.stderr)
    redis_db = _next_redis_db(os.environ["BOXOFFICE_TEST_SERVICES"])
    settings = {
        "BOXOFFICE_DATABASE_URL": app_url,
        "BOXOFFICE_REDIS_URL": _with_redis_db(services["BOXOFFICE_REDIS_URL"], redis_db),
    }
    with open(path, "w") as saved:
        json.dump(settings, saved)
    return settings


# --------------------------------------------------------------------------- server


class ServerStartError(RuntimeError):
    pass


class Server:
    """One `boxoffice serve` process in its own temporary directory."""

    def __init__(self, env=None, workdir=None, args=("serve",), share_backend_with=None,
                 backend=None):
        """`share_backend_with`: another server's folder whose test database this one
        uses; `backend`: settings to use instead of the test backend's (a private one)."""
        self.env_overrides = {"BOXOFFICE_LISTEN": "127.0.0.1:0"}
        self.env_overrides.update(env or {})
        self.share_backend_with = share_backend_with
        self.backend = backend
        self.args = tuple(args)
        self._own_dir = workdir is None
        self.dir = workdir or tempfile.mkdtemp(prefix="boxoffice-it-")
        if backend is not None:
            # So that commands run in this folder (run_cli) use the same backend.
            with open(os.path.join(self.dir, BACKEND_FILE), "w") as saved:
                json.dump(backend, saved)
        self.proc = None
        self.port = None
        self.host = "127.0.0.1"
        self.returncode = None
        self._lines = []  # raw stdout lines (str)
        self._cond = threading.Condition()
        self._reader = None
        self._stderr_path = os.path.join(self.dir, "stderr.log")
        self._stderr_file = None

    # -- life cycle

    def start(self, timeout=START_TIMEOUT_S):
        binary = require_binary()
        self._stderr_file = open(self._stderr_path, "ab")
        self.proc = subprocess.Popen(
            [binary] + list(self.args),
            cwd=self.dir,
            env=clean_env(dict(self.backend if self.backend is not None
                               else backend_env(self.dir, self.share_backend_with),
                               **self.env_overrides)),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr_file,
        )
        self._reader = threading.Thread(target=self._drain_stdout, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for entry in self.logs():
                    if entry.get("msg") == "listening" and "address" in entry:
                        host, _, port = str(entry["address"]).rpartition(":")
                        self.host = host.strip("[]") or "127.0.0.1"
                        self.port = int(port)
                        return self
                if self.proc.poll() is not None:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(min(remaining, 0.1))
        # Failed to start: collect what we can and clean up.
        alive = self.proc.poll() is None
        if alive:
            self.kill()
        else:
            self.returncode = self.proc.returncode
            self._reader.join(2)
        raise ServerStartError(
            "server did not report 'listening' within %.0fs (exit code %s)\nstdout:\n%s\nstderr:\n%s"
            % (timeout, self.proc.returncode, "\n".join(self.lines()[-20:]), self.stderr()[-4000:]))

    def _drain_stdout(self):
        stream = self.proc.stdout
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            with self._cond:
                self._lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, signum):
        self.proc.send_signal(signum)

    def wait(self, timeout=STOP_TIMEOUT_S):
        """Waits for exit; returns the exit code or None on timeout."""
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        if self._reader is not None:
            self._reader.join(5)
        return self.returncode

    def stop(self, timeout=STOP_TIMEOUT_S, signum=signal.SIGTERM):
        """SIGTERM and wait; kills after `timeout`. Returns the exit code
        (negative when killed by a signal)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signum)
            except ProcessLookupError:
                pass
            if self.wait(timeout) is None:
                self.kill()
                return None
        self.returncode = self.proc.returncode
        if self._reader is not None:
            self._reader.join(5)
        return self.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        if self.proc is not None:
            self.returncode = self.proc.returncode
        if self._reader is not None:
            self._reader.join(5)

    def close(self, remove_dir=True):
        """Stops the process (if running) and removes the temporary directory."""
        try:
            self.stop()
        finally:
            if self.proc is not None and self.proc.stdout is not None:
                self.proc.stdout.close()
            if self._stderr_file is not None:
                self._stderr_file.close()
                self._stderr_file = None
            if remove_dir and self._own_dir and not keep_tmp():
                shutil.rmtree(self.dir, ignore_errors=True)

    # -- addresses

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    def client(self, timeout=10.0):
        return Client(self.port, host=self.host, timeout=timeout)

    # -- output

    def lines(self):
        with self._cond:
            return list(self._lines)

    def logs(self):
        """Parsed JSON log lines (lines that are not JSON objects are skipped)."""
        out = []
        for line in self.lines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                out.append(entry)
        return out

    def stderr(self):
        try:
            with open(self._stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def wait_for_log(self, predicate, timeout=5.0):
        """Returns the first parsed log entry matching `predicate`, or None."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for entry in self.logs():
                    if predicate(entry):
                        return entry
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(min(remaining, 0.1))


def run_cli(args, workdir, env=None, input=None, timeout=30.0):
    """Runs `boxoffice ARGS` in `workdir`; returns subprocess.CompletedProcess (text)."""
    return subprocess.run(
        [require_binary()] + list(args),
        cwd=workdir,
        env=clean_env(dict(backend_env(workdir), **(env or {}))),
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --------------------------------------------------------------------------- client


class Response(collections.namedtuple("Response", "status headers body")):
    """(status, headers, body): `body` is the parsed JSON value when the answer is
    JSON, else the raw bytes. Extra attributes: `raw` (bytes), `elapsed` (seconds)."""

    raw = b""
    elapsed = 0.0

    @property
    def json(self):
        return self.body if not isinstance(self.body, bytes) else None

    def header(self, name, default=None):
        value = self.headers.get(name) if self.headers is not None else None
        return default if value is None else value

    def header_all(self, name):
        if self.headers is None:
            return []
        if hasattr(self.headers, "get_all"):
            return self.headers.get_all(name) or []
        value = self.headers.get(name.lower())
        return [] if value is None else [value]

    def __repr__(self):
        body = self.body if not isinstance(self.body, bytes) else self.body[:300]
        return "Response(status=%r, body=%r)" % (self.status, body)


def _decode_body(headers, raw):
    ctype = (headers.get("Content-Type") or headers.get("content-type") or "") if headers else ""
    if raw and "json" in ctype.lower():
        try:
            return json.loads(raw.decode("utf-8"))
        except ValueError:
            return raw
    return raw


_JSON = object()


class Client:
    """A keep-alive HTTP/1.1 client speaking JSON to one server."""

    def __init__(self, port, host="127.0.0.1", timeout=10.0):
        self.host = host
        self.port = port
        self.timeout = timeout
        self.conn = None
        self.connections_opened = 0

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.connect()
            self.connections_opened += 1
        return self.conn

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None, token=None, cookie=None,
                csrf=None, content_type=_JSON):
        """Sends one request and reads the answer.

        body: None (no body), bytes (sent as is) or any JSON value (serialised).
        content_type: defaults to application/json when there is a body; None sends
        no Content-Type header. token: Authorization: Bearer. cookie: value of the
        bo_session cookie. csrf: X-CSRF-Token.
        """
        hdrs = {}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
            if content_type is _JSON:
                hdrs["Content-Type"] = "application/json"
            elif content_type is not None:
                hdrs["Content-Type"] = content_type
        elif content_type not in (_JSON, None):
            hdrs["Content-Type"] = content_type
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        if cookie is not None:
            hdrs["Cookie"] = "bo_session=" + cookie
        if csrf is not None:
            hdrs["X-CSRF-Token"] = csrf
        hdrs.update(headers or {})
        if data is None and method in ("POST", "PUT", "PATCH"):
            hdrs.setdefault("Content-Length", "0")

        for attempt in (0, 1):
            reused = self.conn is not None and self.conn.sock is not None
            conn = self._connection()
            started = time.monotonic()
            try:
                conn.request(method, path, body=data, headers=hdrs)
                resp = conn.getresponse()
                raw = resp.read()
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError, http.client.BadStatusLine) as exc:
                # A keep-alive connection the server closed in the meantime: retry
                # once on a fresh connection. Anything else is a real failure.
                self.close()
                if reused and attempt == 0 and not isinstance(exc, socket.timeout):
                    continue
                raise
            except Exception:
                self.close()
                raise
            elapsed = time.monotonic() - started
            if resp.will_close:
                self.close()
            result = Response(resp.status, resp.msg, _decode_body(resp.msg, raw))
            result.raw = raw
            result.elapsed = elapsed
            return result
        raise AssertionError("unreachable")

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)


def request(port, method, path, **kw):
    """One request on a fresh connection."""
    c = Client(port)
    try:
        return c.request(method, path, **kw)
    finally:
        c.close()


# --------------------------------------------------------------------------- raw sockets


class RawResponse:
    """One HTTP response parsed from a raw socket."""

    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # lower-case name -> list of values
        self.body = body
        self.elapsed = 0.0
        self.closed_after = None  # True when the peer closed after this response

    def header(self, name, default=None):
        values = self.headers.get(name.lower())
        return values[0] if values else default

    @property
    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def __repr__(self):
        return "RawResponse(status=%r, headers=%r, body=%r)" % (
            self.status, self.headers, self.body[:300])


class ResponseReader:
    """Incremental reader of HTTP/1.1 responses from a socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.eof = False
        self.reset = False

    def _fill(self, deadline):
        if self.eof:
            return False
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("timed out reading response")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except (ConnectionResetError, ConnectionAbortedError):
            self.eof = True
            self.reset = True
            return False
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def read_response(self, timeout=10.0, head_request=False):
        """Returns a RawResponse, or None when the connection closed (or was reset)
        before a complete status line and headers arrived."""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf:
            if not self._fill(deadline):
                return None
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        lines = head.decode("iso-8859-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            raise ValueError("bad status line: %r" % lines[0])
        status = int(parts[1])
        reason = parts[2] if len(parts) > 2 else ""
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        self.buf = rest
        body = b""
        te = ",".join(headers.get("transfer-encoding", [])).lower()
        if head_request or status in (204, 304) or 100 <= status < 200:
            pass
        elif "chunked" in te:
            body = self._read_chunked(deadline)
        elif "content-length" in headers:
            length = int(headers["content-length"][0])
            while len(self.buf) < length:
                if not self._fill(deadline):
                    break
            body, self.buf = self.buf[:length], self.buf[length:]
        else:
            while self._fill(deadline):
                pass
            body, self.buf = self.buf, b""
        return RawResponse(status, reason, headers, body)

    def _read_chunked(self, deadline):
        body = b""
        while True:
            while b"\r\n" not in self.buf:
                if not self._fill(deadline):
                    return body
            size_line, _, self.buf = self.buf.partition(b"\r\n")
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while b"\r\n\r\n" not in self.buf and not self.buf.startswith(b"\r\n"):
                    if not self._fill(deadline):
                        return body
                if self.buf.startswith(b"\r\n"):
                    self.buf = self.buf[2:]
                else:
                    self.buf = self.buf.partition(b"\r\n\r\n")[2]
                return body
            while len(self.buf) < size + 2:
                if not self._fill(deadline):
                    return body + self.buf
            body += self.buf[:size]
            self.buf = self.buf[size + 2:]

    def wait_closed(self, timeout):
        """True if the peer closes (EOF or reset) within `timeout` seconds without
        sending anything more; False if it stays open. Data sent instead of a close
        is kept in `buf` and makes this return False."""
        deadline = time.monotonic() + timeout
        while True:
            if self.eof:
                return True
            if self.buf:
                return False
            try:
                if not self._fill(deadline):
                    return True
            except socket.timeout:
                return False


def connect(port, host="127.0.0.1", timeout=10.0):
    sock = socket.create_connection((host, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def raw_exchange(port, data, timeout=10.0, host="127.0.0.1", shut_wr=False, wait_close=0.0):
    """Sends `data` (bytes) on a fresh connection and reads one response.

    The data is sent from a helper thread while this thread reads, so that an early
    answer (e.g. 413 or 431 before the whole request was sent) is not lost. With
    `wait_close` > 0, `resp.closed_after` tells whether the server closed the
    connection within that many seconds after the response.
    Returns (RawResponse or None, reader)."""
    sock = connect(port, host, timeout)
    send_error = []

    def sender():
        try:
            view = memoryview(data)
            while view:
                n = sock.send(view[:65536])
                view = view[n:]
            if shut_wr:
                sock.shutdown(socket.SHUT_WR)
        except OSError as exc:  # the server may close early; that is fine
            send_error.append(exc)

    thread = threading.Thread(target=sender, daemon=True)
    thread.start()
    reader = ResponseReader(sock)
    started = time.monotonic()
    try:
        resp = reader.read_response(timeout)
    except socket.timeout:
        resp = None
    if resp is not None:
        resp.elapsed = time.monotonic() - started
        if wait_close > 0:
            resp.closed_after = reader.wait_closed(wait_close)
    thread.join(timeout)
    sock.close()
    return resp, reader


# --------------------------------------------------------------------------- cookies


def parse_set_cookies(headers):
    """Parses every Set-Cookie header into dicts: {"name", "value", "attrs"} where
    attrs maps lower-case attribute names to values (True for flags)."""
    if hasattr(headers, "get_all"):
        values = headers.get_all("Set-Cookie") or []
    else:
        values = headers.get("set-cookie", [])
    cookies = []
    for value in values:
        parts = [p.strip() for p in value.split(";")]
        name, _, val = parts[0].partition("=")
        attrs = {}
        for part in parts[1:]:
            if not part:
                continue
            key, eq, aval = part.partition("=")
            attrs[key.strip().lower()] = aval.strip() if eq else True
        cookies.append({"name": name.strip(), "value": val.strip(), "attrs": attrs})
    return cookies


def session_cookie(headers):
    for cookie in parse_set_cookies(headers):
        if cookie["name"] == "bo_session":
            return cookie
    return None


# --------------------------------------------------------------------------- users


class User:
    """A signed-up (or logged-in) user: credentials plus the session answer."""

    def __init__(self, email, password, name, response):
        self.email = email
        self.password = password
        self.name = name
        self.response = response
        body = response.body if isinstance(response.body, dict) else {}
        self.user = body.get("user") or {}
        self.id = self.user.get("id")
        self.role = self.user.get("role")
        self.token = body.get("token")
        self.csrf = body.get("csrf_token")
        cookie = session_cookie(response.headers)
        self.cookie = cookie["value"] if cookie else None


def signup_user(client, email=None, password=DEFAULT_PASSWORD, name="Test User",
                expect_status=201):
    """Signs up a fresh customer (unique e-mail unless given). Raises AssertionError
    unless the answer has `expect_status`."""
    email = email or unique_email()
    resp = client.request("POST", API + "/auth/signup",
                          {"email": email, "password": password, "name": name})
    if resp.status != expect_status:
        raise AssertionError("signup of %s: expected %d, got %r" % (email, expect_status, resp))
    return User(email, password, name, resp)


def login_user(client, email, password, headers=None):
    resp = client.request("POST", API + "/auth/login", {"email": email, "password": password},
                          headers=headers)
    return resp


# --------------------------------------------------------------------------- metrics


METRIC_LINE_RE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$")
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """Prometheus text -> list of (name, labels dict, float value)."""
    samples = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = METRIC_LINE_RE.match(line)
        if not m:
            continue
        labels = dict(LABEL_RE.findall(m.group(3) or ""))
        try:
            value = float(m.group(4))
        except ValueError:
            continue
        samples.append((m.group(1), labels, value))
    return samples


def metric_value(samples, name, **labels):
    """Sum of the samples called `name` whose labels include `labels`."""
    total = None
    for sname, slabels, value in samples:
        if sname == name and all(slabels.get(k) == v for k, v in labels.items()):
            total = (total or 0.0) + value
    return total


# --------------------------------------------------------------------------- unittest base


class ServerTestCase(unittest.TestCase):
    """Starts one server per test class. Subclasses set `server_env` (a dict of
    environment overrides); BOXOFFICE_PASSWORD_HASH_COST defaults to `min`."""

    server_env = {}
    server = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = {"BOXOFFICE_PASSWORD_HASH_COST": "min"}
        env.update(cls.server_env)
        cls.server = Server(env)
        cls.addClassCleanup(cls.server.close)
        cls.server.start()

    def setUp(self):
        super().setUp()
        self.client = self.server.client()
        self.addCleanup(self.client.close)

    def new_client(self):
        client = self.server.client()
        self.addCleanup(client.close)
        return client

    def signup(self, **kw):
        return signup_user(self.client, **kw)

    def api(self, method, path, body=None, **kw):
        return self.client.request(method, API + path, body, **kw)

    # -- assertions

    def assertServerAlive(self):
        self.assertTrue(self.server.alive(),
                        "server process exited (code %s); stderr:\n%s"
                        % (self.server.proc.poll(), self.server.stderr()[-3000:]))

    def assertErrorBody(self, body, code=None, field=None, msg=""):
        """`body` is the contract's error shape {"error": {"code", "message"}}."""
        self.assertIsInstance(body, dict, "%s error body is not a JSON object: %r" % (msg, body))
        err = body.get("error")
        self.assertIsInstance(err, dict, "%s no 'error' object in %r" % (msg, body))
        self.assertIsInstance(err.get("code"), str, "%s error.code missing in %r" % (msg, body))
        self.assertRegex(err["code"], ERROR_CODE_RE, "%s error.code not snake_case" % msg)
        self.assertIsInstance(err.get("message"), str, "%s error.message missing in %r" % (msg, body))
        self.assertTrue(err["message"], "%s error.message is empty" % msg)
        if code is not None:
            self.assertEqual(err["code"], code, "%s wrong error code in %r" % (msg, body))
        if field is not None:
            self.assertEqual(err.get("field"), field, "%s wrong error field in %r" % (msg, body))
        return err

    def assertError(self, resp, status, code=None, field=None, msg=""):
        """`resp` (Response or RawResponse) is a `status` answer with the error shape."""
        self.assertEqual(resp.status, status, "%s expected %d, got %r" % (msg, status, resp))
        body = resp.body if isinstance(resp, Response) else resp.json
        return self.assertErrorBody(body, code, field, msg)


def wait_until(predicate, timeout, interval=0.05):
    """Polls `predicate` until it returns a true value or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def port_accepts(port, host="127.0.0.1", timeout=1.0):
    """True if a TCP connection to the port succeeds."""
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError:
        return False
    sock.close()
    return True


def socket_readable(sock, timeout):
    r, _, _ = select.select([sock], [], [], timeout)
    return bool(r)
