"""`scripts/cluster scale` from 3 to 5 to 2 instances while 32 buyers purchase through
the edge: zero failed requests. New instances join when ready; removed ones are drained
out of the balancer before they stop."""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_harness import FaultTestCase  # noqa: E402


class Scaling(FaultTestCase):
    def test_scale_3_to_5_to_2_under_load_fails_no_request(self):
        stream = self.stream()
        time.sleep(2.0)
        self.cluster.run("scale", "5", timeout=300)
        self.assertEqual(len(self.cluster.instance_pids()), 5)
        self.assertEqual(set(self.cluster.balancer_status().values()), {"UP"})
        time.sleep(2.0)
        self.cluster.run("scale", "2", timeout=300)
        self.assertEqual(len(self.cluster.instance_pids()), 2)
        time.sleep(2.0)
        stream.stop()
        invariant = self.assert_invariants(stream)
        self.report("scale 3 -> 5 -> 2", stream, invariant)
        self.assertEqual(stream.failed, [], "requests failed while scaling")
        self.assertGreater(len(stream.confirmed), 0)


if __name__ == "__main__":
    unittest.main()
