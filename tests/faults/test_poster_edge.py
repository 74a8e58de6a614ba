"""Posters and the web front end through the edge: nginx caches poster variants and the
front end's hashed assets (a second request is a HIT, the instances never see it), and
with every instance stopped the cached files still load, while the API says it is
unavailable. The front end's page itself is always revalidated."""
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_harness import FaultTestCase  # noqa: E402
from cluster_harness import API  # noqa: E402


def make_jpeg(width, height):
    """A real JPEG made by libvips' command-line tool."""
    folder = tempfile.mkdtemp(prefix="bo-edge-poster-")
    path = os.path.join(folder, "poster.jpg")
    subprocess.run(["vips", "gaussnoise", path + "[Q=85]", str(width), str(height)], check=True,
                   timeout=60)
    with open(path, "rb") as image:
        data = image.read()
    os.remove(path)
    os.rmdir(folder)
    return data


class PosterEdge(FaultTestCase):
    instances = 2

    def get(self, client, path, headers=None):
        resp = client.request("GET", path, headers=headers)
        return resp, resp.header("X-Cache-Status", "")

    def test_cached_posters_load_with_every_instance_stopped(self):
        event_id = self.cluster.new_event(rows=2, seats_per_row=10)
        client = self.cluster.client()
        self.addCleanup(client.close)
        uploaded = client.request("PUT", API + "/admin/events/%s/poster" % event_id,
                                  make_jpeg(1600, 900), token=self.cluster.admin.token,
                                  content_type="image/jpeg")
        self.assertEqual(uploaded.status, 200, uploaded)
        variants = uploaded.body["event"]["poster"]["variants"]
        self.assertEqual(sorted({v["width"] for v in variants}), [320, 640, 1280])
        urls = [v["url"] for v in variants]

        bodies = {}
        for url in urls:
            first, first_status = self.get(client, url)
            self.assertEqual(first.status, 200, url)
            self.assertIn(first_status, ("MISS", "HIT"), url)
            second, second_status = self.get(client, url)
            self.assertEqual(second.status, 200, url)
            self.assertEqual(second_status, "HIT", "the edge did not keep %s" % url)
            self.assertEqual(second.raw, first.raw)
            self.assertIn("immutable", second.header("Cache-Control", ""))
            bodies[url] = second.raw

        # Every instance stops: the API cannot answer, the posters still can.
        self.cluster.run("scale", "0", timeout=300)
        self.assertEqual(self.cluster.instance_pids(), {})
        event = client.request("GET", API + "/events/%s" % event_id)
        self.assertEqual(event.status, 503, event)
        self.assertTrue(event.header("Retry-After"), event)
        for url in urls:
            resp, cache_status = self.get(client, url)
            self.assertEqual(resp.status, 200, "%s with no instance: %r" % (url, resp))
            self.assertIn(cache_status, ("HIT", "STALE", "UPDATING"), url)
            self.assertEqual(resp.raw, bodies[url])
            etag = resp.header("ETag")
            self.assertTrue(etag, url)
            revalidated, _ = self.get(client, url, headers={"If-None-Match": etag})
            self.assertEqual(revalidated.status, 304, url)

        # A poster the edge never saw cannot come from anywhere.
        unknown, _ = self.get(client, "/posters/" + "0" * 32 + ".jpg")
        self.assertEqual(unknown.status, 503)
        self.cluster.run("scale", "2", timeout=300)


    def test_web_front_end_through_the_edge(self):
        client = self.cluster.client()
        self.addCleanup(client.close)
        page = client.request("GET", "/events/some-event")
        self.assertEqual(page.status, 200, page)
        self.assertEqual(page.header("Cache-Control"), "no-cache")
        self.assertIn("script-src 'self'", page.header("Content-Security-Policy", ""))
        assets = re.findall(rb'(?:src|href)="(/assets/[^"]+)"', page.raw)
        self.assertTrue(assets, page.raw[:400])
        for asset in (a.decode() for a in assets):
            first, _ = self.get(client, asset)
            self.assertEqual(first.status, 200, asset)
            self.assertEqual(first.header("Cache-Control"), "public, max-age=31536000, immutable")
            second, second_status = self.get(client, asset)
            self.assertEqual(second_status, "HIT", "the edge did not keep %s" % asset)
            self.assertEqual(second.raw, first.raw)
        # Compressed for browsers that ask.
        script = next(a.decode() for a in assets if a.endswith(b".js"))
        zipped = client.request("GET", script, headers={"Accept-Encoding": "gzip"})
        self.assertEqual(zipped.header("Content-Encoding"), "gzip", zipped.headers)


if __name__ == "__main__":
    unittest.main()
