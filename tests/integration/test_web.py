"""Black-box tests of how the server serves a built web front end (BOXOFFICE_WEB_ROOT):
its files with the right types and cache lifetimes, index.html for the app's own paths,
the page security headers, and the contract's JSON 404 for every path that is not one of
the app's pages.

A small stand-in for web/dist is written per class, so these tests do not depend on the
front end's build; the browser tests (tests/e2e) run the real one.

Run from the repository root:
    python3 -m unittest tests/integration/test_web.py
"""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ServerTestCase, keep_tmp  # noqa: E402

INDEX = b'<!doctype html><html><head><script type="module" src="/assets/app-4f3c2a.js">' \
        b'</script></head><body><div id="app"></div></body></html>'
SCRIPT = b"export const answer = 42;\n"
STYLE = b"body { color: #222; }\n"


def make_site():
    root = tempfile.mkdtemp(prefix="boxoffice-it-web-")
    os.makedirs(os.path.join(root, "assets"))
    os.makedirs(os.path.join(root, ".git"))
    files = {"index.html": INDEX, "assets/app-4f3c2a.js": SCRIPT, "assets/app-77aa01.css": STYLE,
             "favicon.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
             ".git/config": b"[core]"}
    for name, content in files.items():
        with open(os.path.join(root, name), "wb") as out:
            out.write(content)
    return root


class WebFrontEndTests(ServerTestCase):
    site = None

    @classmethod
    def setUpClass(cls):
        cls.site = make_site()
        if not keep_tmp():
            cls.addClassCleanup(shutil.rmtree, cls.site, True)
        cls.server_env = {"BOXOFFICE_WEB_ROOT": cls.site,
                          "BOXOFFICE_POSTER_URL": "https://cdn.example.com/shop"}
        super().setUpClass()

    def get(self, path, **kw):
        return self.client.request("GET", path, **kw)

    def assert_page_headers(self, resp):
        policy = resp.header("Content-Security-Policy")
        self.assertIsNotNone(policy, resp.headers)
        directives = {d.strip().split(" ")[0]: d.strip().split(" ")[1:]
                      for d in policy.split(";") if d.strip()}
        self.assertEqual(directives["script-src"], ["'self'"])
        self.assertEqual(directives["default-src"], ["'self'"])
        self.assertEqual(directives["object-src"], ["'none'"])
        self.assertEqual(directives["frame-ancestors"], ["'none'"])
        self.assertEqual(directives["base-uri"], ["'none'"])
        self.assertIn("https://cdn.example.com", directives["img-src"])
        self.assertNotIn("'unsafe-inline'", policy)
        self.assertNotIn("'unsafe-eval'", policy)
        self.assertEqual(resp.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(resp.header("X-Frame-Options"), "DENY")
        self.assertEqual(resp.header("Referrer-Policy"), "same-origin")

    def test_root_and_app_paths_answer_index_revalidated(self):
        for path in ("/", "/events/some-event", "/admin/events/new", "/tickets",
                     "/checkin?code=abc", "/orders/o-1", "/login", "/signup", "/admin",
                     "/admin/orders"):
            with self.subTest(path=path):
                resp = self.get(path)
                self.assertEqual(resp.status, 200, resp)
                self.assertEqual(resp.raw, INDEX)
                self.assertEqual(resp.header("Content-Type"), "text/html; charset=utf-8")
                self.assertEqual(resp.header("Cache-Control"), "no-cache")
                self.assert_page_headers(resp)

    def test_hashed_assets_are_immutable_other_files_short_lived(self):
        script = self.get("/assets/app-4f3c2a.js")
        self.assertEqual(script.status, 200)
        self.assertEqual(script.raw, SCRIPT)
        self.assertEqual(script.header("Content-Type"), "text/javascript; charset=utf-8")
        self.assertEqual(script.header("Cache-Control"), "public, max-age=31536000, immutable")
        style = self.get("/assets/app-77aa01.css")
        self.assertEqual(style.header("Content-Type"), "text/css; charset=utf-8")
        icon = self.get("/favicon.svg")
        self.assertEqual((icon.status, icon.header("Content-Type")), (200, "image/svg+xml"))
        self.assertEqual(icon.header("Cache-Control"), "public, max-age=3600")

    def test_etags_answer_304(self):
        first = self.get("/assets/app-4f3c2a.js")
        etag = first.header("ETag")
        self.assertRegex(etag, r'^"[0-9a-f]{32}"$')
        again = self.get("/assets/app-4f3c2a.js", headers={"If-None-Match": etag})
        self.assertEqual((again.status, again.raw), (304, b""))
        self.assertEqual(again.header("ETag"), etag)
        page = self.get("/", headers={"If-None-Match": 'W/"other", ' + self.get("/").header("ETag")})
        self.assertEqual(page.status, 304)
        changed = self.get("/", headers={"If-None-Match": '"0000"'})
        self.assertEqual(changed.status, 200)

    def test_head_answers_headers_only(self):
        resp = self.client.request("HEAD", "/events/x")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.raw, b"")
        self.assertEqual(resp.header("Content-Length"), str(len(INDEX)))

    def test_missing_files_and_server_paths_are_404_not_the_app(self):
        for path in ("/assets/app-000000.js", "/robots.txt", "/api/v1/nothing-here",
                     "/api/v1", "/posters/a/b", "/.git/config", "/assets/../index.html.bak",
                     "/no-such-page", "//api/v1/events", "/events", "/events/", "/tickets/x",
                     "/administrator", "/api/v1/event"):
            with self.subTest(path=path):
                resp = self.get(path)
                self.assertEqual(resp.status, 404, resp)
                self.assertEqual(resp.body["error"]["code"], "not_found")

    def test_only_reads_reach_the_app(self):
        resp = self.client.request("POST", "/events/x", {})
        self.assertEqual(resp.status, 404)
        self.assertEqual(resp.body["error"]["code"], "not_found")

    def test_the_api_is_unchanged(self):
        resp = self.get("/api/v1/events")
        self.assertEqual(resp.status, 200)
        self.assertIn("events", resp.body)
        self.assertEqual(self.get("/healthz").status, 200)


class NoFrontEndTests(ServerTestCase):
    """Without a built front end (the default folder is absent here), the API serves alone."""

    def test_root_is_404(self):
        resp = self.client.request("GET", "/")
        self.assertEqual(resp.status, 404)
        self.assertEqual(resp.body["error"]["code"], "not_found")


if __name__ == "__main__":
    unittest.main()
