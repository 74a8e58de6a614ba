"""Only the edge faces users: every other tier listens on loopback only, MariaDB and
Redis refuse a connection without credentials, and the application's database account
cannot change the schema."""
import os
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_harness import FaultTestCase  # noqa: E402


def listening_addresses(pid):
    """The local addresses the process listens on (TCP), from ss."""
    out = subprocess.run(["ss", "-H", "-ltnp"], capture_output=True, text=True, timeout=10).stdout
    return {line.split()[3] for line in out.splitlines() if "pid=%d," % pid in line}


class TierSecurity(FaultTestCase):
    def setUp(self):
        self.services = self.cluster.services

    def test_every_tier_listens_on_loopback_only(self):
        state = self.cluster.state
        pids = {"nginx": state["edge"]["pid"], "haproxy": state["balancer"]["pid"],
                "mariadb": int(self.services["MARIADB_PID"]), "redis": int(self.services["REDIS_PID"])}
        pids.update({"instance %d" % slot: pid for slot, pid in self.cluster.instance_pids().items()})
        for name, pid in pids.items():
            addresses = listening_addresses(pid)
            if name == "nginx":
                # Workers hold the edge's socket; the master's is the same one.
                with open("/proc/%d/task/%d/children" % (pid, pid)) as children:
                    for child in children.read().split():
                        addresses |= listening_addresses(int(child))
            with self.subTest(tier=name):
                self.assertTrue(addresses, "%s listens nowhere" % name)
                self.assertTrue(all(a.startswith("127.0.0.1:") for a in addresses),
                                "%s listens on %s" % (name, sorted(addresses)))

    def test_mariadb_refuses_connections_without_credentials(self):
        for user in ("root", "boxoffice_app", "boxoffice_owner", ""):
            with self.subTest(user=user):
                done = subprocess.run(
                    ["mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", self.services["MARIADB_PORT"],
                     "-u", user, "--connect-timeout=5", "-e", "SELECT 1"],
                    capture_output=True, text=True, timeout=30)
                self.assertNotEqual(done.returncode, 0)
                self.assertIn("Access denied", done.stderr)

    def test_redis_refuses_commands_without_credentials(self):
        with socket.create_connection(("127.0.0.1", int(self.services["REDIS_PORT"])), timeout=5) as redis:
            redis.sendall(b"PING\r\nGET anything\r\nKEYS *\r\n")
            answer = b""
            while answer.count(b"\r\n") < 3:
                chunk = redis.recv(4096)
                if not chunk:
                    break
                answer += chunk
        self.assertEqual(answer.count(b"-NOAUTH"), 3, answer)

    def test_the_application_account_cannot_change_the_schema(self):
        url = self.services["BOXOFFICE_DATABASE_URL"]  # mysql://boxoffice_app:PASSWORD@host:port/db
        password = url.split("//", 1)[1].split("@", 1)[0].split(":", 1)[1]
        for statement in ("CREATE TABLE intruder (id INT)", "DROP TABLE tickets",
                          "ALTER TABLE orders ADD COLUMN note TEXT", "TRUNCATE TABLE orders",
                          "GRANT SELECT ON boxoffice.* TO 'boxoffice_app'@'127.0.0.1'"):
            with self.subTest(statement=statement):
                done = subprocess.run(
                    ["mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", self.services["MARIADB_PORT"],
                     "-u", "boxoffice_app", "-p" + password, "boxoffice", "-e", statement],
                    capture_output=True, text=True, timeout=30)
                self.assertNotEqual(done.returncode, 0, statement)
                self.assertRegex(done.stderr, "denied", statement)
        # ... while it can do its job.
        done = subprocess.run(
            ["mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", self.services["MARIADB_PORT"],
             "-u", "boxoffice_app", "-p" + password, "boxoffice", "-e", "SELECT COUNT(*) FROM orders"],
            capture_output=True, text=True, timeout=30)
        self.assertEqual(done.returncode, 0, done.stderr)


if __name__ == "__main__":
    unittest.main()
