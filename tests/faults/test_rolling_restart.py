"""Rolling restarts while 32 buyers purchase through the edge: zero failed requests.

- in place: each instance gets SIGTERM (as a service manager restarts it) and starts again
  on its port; it leaves the balancer by itself (/readyz turns 503 before it stops
  accepting) and answers what it has in flight;
- replacement: each instance is replaced by a fresh one that is ready before the old one
  is drained out of the balancer.
"""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_harness import FaultTestCase  # noqa: E402


class RollingRestart(FaultTestCase):
    def restart_under_load(self, fault, *args):
        before = self.cluster.instance_pids()
        stream = self.stream()
        time.sleep(2.0)
        self.cluster.run("restart", *args, timeout=300)
        time.sleep(2.0)
        stream.stop()
        after = self.cluster.instance_pids()
        invariant = self.assert_invariants(stream)
        self.report(fault, stream, invariant)
        self.assertEqual(len(after), len(before))
        self.assertFalse(set(before.values()) & set(after.values()), "an instance was not restarted")
        self.assertEqual(stream.failed, [], "requests failed during the restart")
        self.assertGreater(len(stream.confirmed), 0)

    def test_1_sigterm_one_instance_at_a_time_fails_no_request(self):
        self.restart_under_load("rolling restart with SIGTERM, in place", "--in-place")

    def test_2_replacing_one_instance_at_a_time_fails_no_request(self):
        self.restart_under_load("rolling replacement")


if __name__ == "__main__":
    unittest.main()
