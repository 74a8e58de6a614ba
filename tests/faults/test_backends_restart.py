"""Redis restarted, then MariaDB stopped and started again, while 32 buyers purchase
through the edge. The service degrades to 503 (with Retry-After), never to a wrong answer,
and recovers by itself; sessions survive the Redis restart (append-only file); nothing
sold is lost and no seat is sold twice."""
import os
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_harness import REPO, FaultTestCase  # noqa: E402

SERVICES = os.path.join(REPO, "scripts", "test-services")
# While a backend is down the only failure a buyer may see is 503 (or a connection
# closed by an instance that gave up on it); never a 500.
DEGRADED = {503}


class BackendsRestart(FaultTestCase):
    def stop_and_resume(self, pid_name, down_for):
        pid = int(self.cluster.services[pid_name])
        os.kill(pid, signal.SIGTERM)
        self.wait_for(lambda: not os.path.exists("/proc/%d" % pid), 60, "%s did not stop" % pid_name)
        time.sleep(down_for)
        subprocess.run([SERVICES, "start", os.path.join(self.cluster.dir, "services")], check=True,
                       timeout=120, stdout=subprocess.DEVNULL)
        self.cluster.reload()

    def assert_recovers(self, stream, fault):
        confirmed = len(stream.confirmed)
        self.wait_for(lambda: len(stream.confirmed) > confirmed + 10, 30,
                      "sales did not resume by themselves after: %s" % fault)

    def check(self, fault, stream):
        stream.stop()
        invariant = self.assert_invariants(stream)
        self.report(fault, stream, invariant)
        unexpected = [f for f in stream.failed if f[1] not in DEGRADED]
        self.assertEqual(unexpected, [], "answers other than 503 during: %s" % fault)

    def test_1_redis_restart_degrades_and_recovers(self):
        stream = self.stream()
        time.sleep(2.0)
        self.stop_and_resume("REDIS_PID", down_for=2.0)
        self.assert_recovers(stream, "Redis restart")
        self.check("Redis restarted", stream)
        self.assertIn("503", str(stream.statuses), "no request noticed Redis was down")
        self.assertEqual(stream.unauthenticated, 0, "sessions were lost with the Redis restart")

    def test_2_mariadb_stop_and_start_degrades_and_recovers(self):
        stream = self.stream()
        time.sleep(2.0)
        self.stop_and_resume("MARIADB_PID", down_for=3.0)
        self.assert_recovers(stream, "MariaDB restart")
        self.check("MariaDB stopped and started", stream)
        self.assertIn("503", str(stream.statuses), "no request noticed MariaDB was down")


if __name__ == "__main__":
    unittest.main()
