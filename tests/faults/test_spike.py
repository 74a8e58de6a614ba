"""A spike: 2,000 connections opened at once against the edge while 32 buyers purchase.

The cluster answers quickly what it cannot take (429 from the edge's per-address limit,
503 with Retry-After from the balancer or an instance), keeps serving the rest (the buyers
keep buying), and no process crashes or grows without bound.
"""
import asyncio
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_harness import API, FaultTestCase  # noqa: E402

CONNECTIONS = 2000
ADDRESSES = 20  # 100 connections from each of 127.0.2.1 .. 127.0.2.20
ANSWER_WITHIN_S = 15.0
ACCEPTED = {200, 201, 409, 429, 503}
MAX_RSS_MIB = 1024


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


async def one_request(port, index, event_id, token, opened):
    source = ("127.0.2.%d" % (1 + index % ADDRESSES), 0)
    started = time.monotonic()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=source)
    except OSError as error:
        return ("connect", type(error).__name__, time.monotonic() - started, None)
    opened.append(1)
    # Everyone waits until every connection is open: then they all ask at once.
    while len(opened) < CONNECTIONS and time.monotonic() - started < 10:
        await asyncio.sleep(0.01)
    if index % 2:
        body = b'{"category":"floor","quantity":1}'
        request = (b"POST " + (API + "/events/%s/holds" % event_id).encode() + b" HTTP/1.1\r\n"
                   b"Host: boxoffice\r\nAuthorization: Bearer " + token.encode() + b"\r\n"
                   b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() +
                   b"\r\nConnection: close\r\n\r\n" + body)
    else:
        request = (b"GET " + (API + "/events/%s" % event_id).encode() + b" HTTP/1.1\r\n"
                   b"Host: boxoffice\r\nConnection: close\r\n\r\n")
    sent = time.monotonic()
    try:
        writer.write(request)
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), ANSWER_WITHIN_S + 5)
        status = int(head.split(b" ", 2)[1])
        retry_after = b"retry-after:" in head.lower()
        return ("answer", status, time.monotonic() - sent, retry_after)
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
        return ("answer", type(error).__name__, time.monotonic() - sent, None)
    finally:
        writer.close()


async def spike(port, event_id, tokens):
    opened = []
    tasks = [one_request(port, i, event_id, tokens[i % len(tokens)], opened)
             for i in range(CONNECTIONS)]
    return await asyncio.gather(*tasks)


class Spike(FaultTestCase):
    def test_2000_connections_at_once_are_answered_quickly_and_nothing_crashes(self):
        pids = dict(self.cluster.instance_pids())
        pids["nginx"] = self.cluster.state["edge"]["pid"]
        pids["haproxy"] = self.cluster.state["balancer"]["pid"]
        stream = self.stream()
        time.sleep(2.0)
        confirmed_before = len(stream.confirmed)
        started = time.monotonic()
        results = asyncio.run(spike(self.cluster.port, self.event_id,
                                    [user.token for user in self.users]))
        took = time.monotonic() - started
        confirmed_during = len(stream.confirmed) - confirmed_before
        time.sleep(2.0)
        stream.stop()
        invariant = self.assert_invariants(stream)
        self.report("spike of %d connections" % CONNECTIONS, stream, invariant)

        statuses = {}
        for _, status, _, _ in results:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        slowest = max(result[2] for result in results)
        print("  spike answers %s in %.1f s, slowest %.2f s, orders confirmed meanwhile %d" % (
            statuses, took, slowest, confirmed_during))
        self.assertEqual([r for r in results if r[0] == "connect"], [], "connections refused")
        self.assertEqual([r for r in results if r[1] not in ACCEPTED], [], "unexpected answers")
        self.assertLess(slowest, ANSWER_WITHIN_S)
        refused = [r for r in results if r[1] in (429, 503)]
        self.assertTrue(refused, "the spike was above every limit, yet nothing was refused")
        self.assertTrue(all(r[3] for r in refused), "a 429/503 without Retry-After")
        self.assertTrue(any(r[1] in (200, 201) for r in results), "the spike got no service at all")
        self.assertGreater(confirmed_during, 0, "the buyers got nothing done during the spike")
        for name, pid in pids.items():
            self.assertTrue(os.path.exists("/proc/%d" % pid), "%s (pid %d) died" % (name, pid))
            self.assertLess(rss_mib(pid), MAX_RSS_MIB, "%s uses too much memory" % name)
        # Buyers only fail where the cluster said no (429/503) during the spike.
        self.assertEqual([f for f in stream.failed if f[1] not in (429, 503)], [])


if __name__ == "__main__":
    unittest.main()
