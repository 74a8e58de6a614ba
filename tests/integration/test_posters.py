"""Black-box tests of event posters (contract: "Venues and events", `PUT
/admin/events/{id}/poster`, and the `poster` member of the catalog's `event`): the upload and
its sized WebP and JPEG variants, the variant files under /posters/ with their caching
headers, refused uploads, public URLs, replacement and the removal of replaced files, the
bound on image work, and an S3 object store when the test services provide one.

Test images are made with the libvips command-line tools (`vips`, `vipsheader`; Debian
package libvips-tools), and the served variants are measured with them. A few inputs are
written byte by byte here instead: an EXIF orientation tag, and PNGs whose size matters
more than their look (over the pixel limit, or large but quick to make).

Run from the repository root:
    python3 -m unittest tests/integration/test_posters.py
"""

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (  # noqa: E402
    API, ResponseReader, connect, keep_tmp, raw_exchange, wait_until,
)
from selling import SellingTestCase, get_event, new_event  # noqa: E402

TOOL_TIMEOUT_S = 60
POSTER_BODY_LIMIT = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
VARIANT_WIDTHS = (320, 640, 1280)
IMMUTABLE = "public, max-age=31536000, immutable"
EXTENSION_OF = {"image/webp": "webp", "image/jpeg": "jpg"}
LOADER_OF = {"image/webp": "webpload", "image/jpeg": "jpegload"}
POSTER_PATH_RE = re.compile(r"^/posters/([0-9a-f]{32})\.(webp|jpg)$")
ADMIN = object()  # the default uploader: the test class's admin

_work_dir = None


def setUpModule():
    global _work_dir
    missing = [tool for tool in ("vips", "vipsheader") if shutil.which(tool) is None]
    if missing:
        raise RuntimeError("the poster tests make and measure images with %s: install "
                           "libvips-tools (scripts/install-deps)" % " and ".join(missing))
    _work_dir = tempfile.mkdtemp(prefix="boxoffice-it-posters-")


def tearDownModule():
    if _work_dir and not keep_tmp():
        shutil.rmtree(_work_dir, ignore_errors=True)


# --------------------------------------------------------------------------- image files


def _tool(args):
    proc = subprocess.run(args, capture_output=True, timeout=TOOL_TIMEOUT_S)
    if proc.returncode != 0:
        raise AssertionError("%s failed (exit %d): %s" % (
            " ".join(args), proc.returncode, proc.stderr.decode("utf-8", "replace")[-2000:]))
    return proc.stdout.decode("utf-8", "replace")


def _scratch_path(suffix):
    handle, path = tempfile.mkstemp(suffix=suffix, dir=_work_dir)
    os.close(handle)
    return path


def _write_scratch(data, suffix):
    path = _scratch_path(suffix)
    with open(path, "wb") as out:
        out.write(data)
    return path


def gradient_ppm(width, height, noise_levels=32):
    """A binary PPM: red rises from left to right, green from top to bottom, and blue is
    random noise of `noise_levels` values, so that no two calls give the same picture."""
    noise = bytes(96 + i % noise_levels for i in range(256))
    row = bytearray(width * 3)
    row[0::3] = bytes(x * 255 // max(1, width - 1) for x in range(width))
    rows = [b"P6\n%d %d\n255\n" % (width, height)]
    for y in range(height):
        row[1::3] = bytes([y * 255 // max(1, height - 1)]) * width
        row[2::3] = os.urandom(width).translate(noise)
        rows.append(bytes(row))
    return b"".join(rows)


def halves_ppm(width, height):
    """A binary PPM whose left half is white and right half black."""
    left = width // 2
    row = b"\xff" * (3 * left) + b"\x00" * (3 * (width - left))
    return b"P6\n%d %d\n255\n" % (width, height) + row * height


def convert(ppm, target):
    """Saves a PPM with `vips copy` as `target` (".jpg[Q=90]", ".png", ...); the bytes."""
    suffix, bracket, options = target.partition("[")
    source = _write_scratch(ppm, ".ppm")
    out = _scratch_path(suffix)
    try:
        _tool(["vips", "copy", source, out + bracket + options])
        with open(out, "rb") as saved:
            return saved.read()
    finally:
        os.remove(source)
        os.remove(out)


FORMATS = {"jpeg": ".jpg[Q=90]", "png": ".png[compression=6]", "webp": ".webp[Q=85]",
           "gif": ".gif", "tiff": ".tif", "avif": ".avif"}


def make_image(kind, width, height, noise_levels=32):
    """A new (never seen before) picture of that size in that format."""
    return convert(gradient_ppm(width, height, noise_levels), FORMATS[kind])


def describe_images(blobs):
    """`vipsheader` on each blob: a list of {width, height, bands, loader}; fails unless
    libvips can read every one."""
    paths = [_write_scratch(blob, ".img") for blob in blobs]
    try:
        out = _tool(["vipsheader"] + paths)
    finally:
        for path in paths:
            os.remove(path)
    described = {}
    for line in out.splitlines():
        for path in paths:
            if line.startswith(path + ": "):
                m = re.match(r"^(\d+)x(\d+) \S+, (\d+) bands?, \S+, (\S+)$", line[len(path) + 2:])
                if m is None:
                    raise AssertionError("cannot read vipsheader's line %r" % line)
                described[path] = {"width": int(m.group(1)), "height": int(m.group(2)),
                                   "bands": int(m.group(3)), "loader": m.group(4)}
    missing = [p for p in paths if p not in described]
    if missing:
        raise AssertionError("vipsheader said nothing about %d file(s): %r" % (len(missing), out))
    return [described[path] for path in paths]


def image_header_field(blob, field):
    path = _write_scratch(blob, ".img")
    try:
        return _tool(["vipsheader", "-f", field, path]).strip()
    finally:
        os.remove(path)


def pixel(blob, x, y):
    """The band values of one pixel, as floats."""
    path = _write_scratch(blob, ".img")
    try:
        return [float(v) for v in _tool(["vips", "getpoint", path, str(x), str(y)]).split()]
    finally:
        os.remove(path)


def png_chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def png_file(width, height, zlib_stream, color_type=2):
    """A PNG of 8-bit samples (colour type 2 RGB, 0 grey) around one zlib stream of
    filtered scanlines; the header says width x height whatever the stream holds."""
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib_stream)
            + png_chunk(b"IEND", b""))


def grey_png(width, height):
    """A complete black greyscale PNG (cheap to make at any size)."""
    return png_file(width, height, zlib.compress((b"\x00" + bytes(width)) * height, 6), 0)


def large_pngs(count, width=6000, height=5000, head_rows=600):
    """`count` complete RGB PNGs of width x height that differ in their first `head_rows`
    rows (a plain colour of their own); the rest is a shared pattern. Their pixels cost the
    server a full decode (PNG has no shrink-on-load), yet each file is small and quick to
    make: the shared rows are compressed once into a raw deflate stream, and each file's
    own rows into a byte-aligned, non-final block in front of it."""
    row = b"\x00" + (bytes(range(256)) * (width * 3 // 256 + 1))[:width * 3]
    tail = row * (height - head_rows)
    squeeze = zlib.compressobj(6, zlib.DEFLATED, -15)
    tail_stream = squeeze.compress(tail) + squeeze.flush(zlib.Z_FINISH)
    files = []
    for i in range(count):
        colour = bytes([(40 + 53 * i) % 256, (200 - 29 * i) % 256, (90 + 71 * i) % 256])
        head = (b"\x00" + colour * width) * head_rows
        squeeze = zlib.compressobj(6, zlib.DEFLATED, -15)
        head_stream = squeeze.compress(head) + squeeze.flush(zlib.Z_FULL_FLUSH)
        checksum = zlib.adler32(tail, zlib.adler32(head))
        stream = b"\x78\x9c" + head_stream + tail_stream + struct.pack(">I", checksum)
        files.append(png_file(width, height, stream))
    return files


def exif_segment(orientation, make):
    """A JPEG APP1 segment holding EXIF IFD0 with Make and Orientation (big-endian TIFF)."""
    make_bytes = make.encode("ascii") + b"\x00"
    data_offset = 8 + 2 + 2 * 12 + 4
    ifd = (struct.pack(">H", 2)
           + struct.pack(">HHII", 0x010F, 2, len(make_bytes), data_offset)  # Make, ASCII
           + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)  # Orientation, SHORT
           + struct.pack(">I", 0))
    payload = b"Exif\x00\x00" + b"MM\x00\x2a" + struct.pack(">I", 8) + ifd + make_bytes
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def with_exif(jpeg, orientation, make):
    if jpeg[:2] != b"\xff\xd8":
        raise AssertionError("not a JPEG")
    return jpeg[:2] + exif_segment(orientation, make) + jpeg[2:]


def type_of_bytes(blob):
    if blob[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if blob[:4] == b"RIFF" and blob[8:12] == b"WEBP":
        return "image/webp"
    return None


# --------------------------------------------------------------------------- HTTP


def bare_exchange(port, method, path, headers=None, timeout=10.0):
    """One request on a fresh connection with `Connection: close`; returns the response
    (RawResponse) and the bytes that came after its head and body (b"" when the server
    sent nothing more before closing)."""
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1", "Connection: close"]
    lines += ["%s: %s" % item for item in (headers or {}).items()]
    sock = connect(port, timeout=timeout)
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        reader = ResponseReader(sock)
        resp = reader.read_response(timeout, head_request=(method == "HEAD"))
        if resp is None:
            raise AssertionError("%s %s: the connection closed without an answer" % (method, path))
        closed = reader.wait_closed(timeout)
        if not closed and not reader.buf:
            raise AssertionError("%s %s: the server kept a Connection: close connection open"
                                 % (method, path))
        return resp, reader.buf
    finally:
        sock.close()


def services_setting(name):
    """A setting from the environment, else from the test services' env file."""
    if os.environ.get(name):
        return os.environ[name]
    folder = os.environ.get("BOXOFFICE_TEST_SERVICES")
    path = os.path.join(folder, "env") if folder else None
    if not path or not os.path.exists(path):
        return None
    with open(path) as env_file:
        for line in env_file:
            line = line.strip()
            if line.startswith("export %s=" % name):
                return line.partition("=")[2].strip("'\"") or None
    return None


# --------------------------------------------------------------------------- checks


class PosterChecks:
    """Helpers and assertions for SellingTestCase subclasses that test posters."""

    # What every poster URL starts with before "/posters/" (the configured base URL).
    url_prefix = ""

    def poster_path(self, event_id):
        return API + "/admin/events/%s/poster" % event_id

    def upload(self, event_id, data, content_type="image/jpeg", token=ADMIN, cookie=None,
               csrf=None, timeout=30.0, chunked=False):
        """PUT the poster on a connection of its own, sent while the answer is read, so
        that an early answer (413) is seen. Bearer token of the admin unless told
        otherwise (None: no Authorization); `chunked` sends the body in one chunk instead
        of with a Content-Length. Returns a harness.RawResponse."""
        token = self.admin.token if token is ADMIN else token
        lines = ["PUT %s HTTP/1.1" % self.poster_path(event_id), "Host: 127.0.0.1",
                 "Connection: close"]
        if chunked:
            lines.append("Transfer-Encoding: chunked")
            body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data) if data else b"0\r\n\r\n"
        else:
            lines.append("Content-Length: %d" % len(data))
            body = data
        if content_type is not None:
            lines.append("Content-Type: " + content_type)
        if token is not None:
            lines.append("Authorization: Bearer " + token)
        if cookie is not None:
            lines.append("Cookie: bo_session=" + cookie)
        if csrf is not None:
            lines.append("X-CSRF-Token: " + csrf)
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        resp, _ = raw_exchange(self.server.port, head + body, timeout=timeout)
        if resp is None:
            self.fail("PUT poster (%s, %d bytes): no answer within %.0f s"
                      % (content_type, len(data), timeout))
        return resp

    def put_poster(self, event_id, data, content_type="image/jpeg"):
        """Uploads and expects 200 {event} with a poster; returns the event."""
        resp = self.upload(event_id, data, content_type)
        self.assertEqual(resp.status, 200, "PUT poster (%s, %d bytes): %r"
                         % (content_type, len(data), resp))
        event = resp.json["event"]
        self.assertEqual(event["id"], event_id)
        self.assertIsNotNone(event.get("poster"), event)
        return event

    def fresh_event(self):
        return new_event(self.client, self.admin, on_sale=False)[1]

    def poster_files(self):
        """Every file under the server's default poster folder (relative paths)."""
        root = os.path.join(self.server.dir, "data", "posters")
        found = set()
        for folder, _, files in os.walk(root):
            for name in files:
                found.add(os.path.relpath(os.path.join(folder, name), root))
        return found

    def path_of(self, url):
        self.assertIsInstance(url, str)
        self.assertTrue(url.startswith(self.url_prefix + "/posters/"),
                        "%r does not start with %r" % (url, self.url_prefix + "/posters/"))
        path = url[len(self.url_prefix):]
        self.assertRegex(path, POSTER_PATH_RE)
        return path

    def name_of(self, url):
        return self.path_of(url).rsplit("/", 1)[1]

    def fetch(self, url, method="GET", headers=None):
        return self.client.request(method, self.path_of(url), headers=headers)

    def urls(self, poster):
        return [v["url"] for v in poster["variants"]]

    def assertPosterShape(self, poster, upright_size, widths):
        """`poster` is {url, variants}: each of `widths` once in WebP and once in JPEG, the
        heights keeping the aspect ratio of `upright_size` (width, height), every URL well
        formed and distinct, and `url` the widest JPEG."""
        self.assertIsInstance(poster, dict, poster)
        self.assertTrue({"url", "variants"} <= set(poster), poster)
        variants = poster["variants"]
        self.assertIsInstance(variants, list, poster)
        source_w, source_h = upright_size
        by_type = {}
        for v in variants:
            self.assertIsInstance(v, dict, v)
            self.assertTrue({"width", "height", "type", "url"} <= set(v), v)
            self.assertIn(v["type"], EXTENSION_OF, v)
            self.assertIsInstance(v["width"], int, v)
            self.assertIsInstance(v["height"], int, v)
            self.assertEqual(self.path_of(v["url"]).rsplit(".", 1)[1], EXTENSION_OF[v["type"]], v)
            self.assertLessEqual(abs(v["height"] - v["width"] * source_h / source_w), 1.0,
                                 "height of %r does not keep the aspect ratio %dx%d"
                                 % (v, source_w, source_h))
            by_type.setdefault(v["type"], []).append(v["width"])
        self.assertEqual({t: sorted(ws) for t, ws in by_type.items()},
                         {t: sorted(widths) for t in EXTENSION_OF}, poster)
        self.assertEqual(len(set(self.urls(poster))), len(variants), "URLs not distinct: %r" % poster)
        widest = max((v for v in variants if v["type"] == "image/jpeg"), key=lambda v: v["width"])
        self.assertEqual(poster["url"], widest["url"], poster)

    def assertServed(self, poster):
        """Every variant answers GET with 200, its type, the year-long immutable
        Cache-Control and the strong ETag of its hash, and is an image of the declared
        type and size. Returns {url: bytes}."""
        bodies = []
        for v in poster["variants"]:
            resp = self.fetch(v["url"])
            self.assertEqual(resp.status, 200, "GET %s: %r" % (v["url"], resp))
            self.assertEqual(resp.header("Content-Type"), v["type"], v)
            self.assertEqual(resp.header("Cache-Control"), IMMUTABLE, v)
            self.assertEqual(resp.header("ETag"), '"%s"' % self.name_of(v["url"]).split(".")[0], v)
            self.assertEqual(type_of_bytes(resp.raw), v["type"], "the bytes of %r" % v)
            bodies.append(resp.raw)
        for v, info in zip(poster["variants"], describe_images(bodies)):
            self.assertEqual((info["width"], info["height"], info["loader"]),
                             (v["width"], v["height"], LOADER_OF[v["type"]]), v)
        return {v["url"]: body for v, body in zip(poster["variants"], bodies)}

    def assertConditionalAndHead(self, url, body):
        """If-None-Match with the ETag (also weak, `*`, or in a list) answers 304 with no
        body; another ETag answers 200; HEAD answers the headers and no body."""
        path = self.path_of(url)
        etag = '"%s"' % self.name_of(url).split(".")[0]
        for value in (etag, "W/" + etag, "*", '"%s", %s' % ("0" * 32, etag)):
            for method in ("GET", "HEAD"):
                with self.subTest(if_none_match=value, method=method):
                    resp, rest = bare_exchange(self.server.port, method, path,
                                               {"If-None-Match": value})
                    self.assertEqual(resp.status, 304, resp)
                    self.assertEqual((resp.body, rest), (b"", b""), "a 304 has no body")
                    self.assertEqual(resp.header("etag"), etag)
                    self.assertEqual(resp.header("cache-control"), IMMUTABLE)
        resp = self.fetch(url, headers={"If-None-Match": '"%s"' % ("0" * 32)})
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.raw, body)
        resp, rest = bare_exchange(self.server.port, "HEAD", path)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual((resp.body, rest), (b"", b""), "HEAD answered a body")
        self.assertEqual(resp.header("content-length"), str(len(body)))
        self.assertEqual(resp.header("content-type"), type_of_bytes(body))
        self.assertEqual(resp.header("etag"), etag)
        self.assertEqual(resp.header("cache-control"), IMMUTABLE)


# --------------------------------------------------------------------------- default settings


class PosterUploadTests(PosterChecks, SellingTestCase):

    def check_format(self, kind, content_type, size, noise_levels=32):
        ev = self.fresh_event()
        image = make_image(kind, *size, noise_levels=noise_levels)
        event = self.put_poster(ev["id"], image, content_type)
        poster = event["poster"]
        self.assertPosterShape(poster, size, VARIANT_WIDTHS)
        bodies = self.assertServed(poster)
        # The rest of the event is as it was.
        self.assertEqual({k: v for k, v in event.items() if k != "poster"},
                         {k: v for k, v in ev.items() if k != "poster"})
        self.assertEqual(get_event(self.client, ev["id"]), event)
        return poster, bodies

    def test_jpeg_upload(self):
        poster, bodies = self.check_format("jpeg", "image/jpeg", (1600, 1000))
        self.assertEqual([(v["width"], v["height"]) for v in poster["variants"]
                          if v["type"] == "image/jpeg"], [(320, 200), (640, 400), (1280, 800)])
        for v in poster["variants"]:
            self.assertConditionalAndHead(v["url"], bodies[v["url"]])

    def test_png_upload(self):
        poster, bodies = self.check_format("png", "image/png", (1300, 650), noise_levels=4)
        self.assertConditionalAndHead(poster["url"], bodies[poster["url"]])

    def test_webp_upload_portrait(self):
        poster, bodies = self.check_format("webp", "image/webp", (1300, 1950))
        self.assertEqual(sorted((v["width"], v["height"]) for v in poster["variants"]
                                if v["type"] == "image/webp"), [(320, 480), (640, 960), (1280, 1920)])
        webp = [v["url"] for v in poster["variants"] if v["type"] == "image/webp"][0]
        self.assertConditionalAndHead(webp, bodies[webp])

    def test_narrow_images_are_not_upscaled(self):
        for size, widths in (((500, 750), (320, 500)), ((640, 400), (320, 640)),
                             ((200, 120), (200,))):
            with self.subTest(size=size):
                ev = self.fresh_event()
                poster = self.put_poster(ev["id"], make_image("jpeg", *size))["poster"]
                self.assertPosterShape(poster, size, widths)
                self.assertServed(poster)

    def test_exif_orientation_is_applied_and_metadata_stripped(self):
        # Stored 600x400 with the left half white; orientation 6 says "turn 90 degrees
        # clockwise to view", so the picture is 400x600 with the white half on top.
        make = "PosterTestCamera%s" % uuid.uuid4().hex[:8]
        jpeg = with_exif(convert(halves_ppm(600, 400), ".jpg[Q=90]"), 6, make)
        self.assertEqual(image_header_field(jpeg, "orientation"), "6",
                         "the test image does not carry its EXIF orientation")
        self.assertIn(make.encode(), jpeg)
        ev = self.fresh_event()
        poster = self.put_poster(ev["id"], jpeg)["poster"]
        self.assertPosterShape(poster, (400, 600), (320, 400))
        bodies = self.assertServed(poster)
        problems = []
        for v in poster["variants"]:
            body = bodies[v["url"]]
            w, h = v["width"], v["height"]
            top = pixel(body, w // 2, h // 4)
            bottom = pixel(body, w // 2, 3 * h // 4)
            if min(top[:3]) < 200 or max(bottom[:3]) > 55:
                problems.append("%s %dx%d: not upright (top %r, bottom %r)"
                                % (v["type"], w, h, top, bottom))
            for marker in (make.encode(), b"Exif\x00\x00", b"EXIF"):
                if marker in body:
                    problems.append("%s %dx%d: metadata kept (%r at byte %d)"
                                    % (v["type"], w, h, marker, body.index(marker)))
        self.assertEqual(problems, [])

    def test_same_image_gives_same_urls(self):
        image = make_image("jpeg", 900, 600)
        first, second, third = self.fresh_event(), self.fresh_event(), self.fresh_event()
        a = self.put_poster(first["id"], image)["poster"]
        b = self.put_poster(second["id"], image)["poster"]
        self.assertEqual(a, b)
        self.assertEqual(self.put_poster(first["id"], image)["poster"], a)
        other = self.put_poster(third["id"], make_image("jpeg", 900, 600))["poster"]
        self.assertFalse(set(self.urls(a)) & set(self.urls(other)), (a, other))
        self.assertServed(a)
        self.assertEqual(get_event(self.client, second["id"])["poster"], a)

    def test_poster_appears_in_the_catalog(self):
        ev = self.fresh_event()
        self.assertIsNone(ev["poster"])
        event = self.put_poster(ev["id"], make_image("jpeg", 700, 1000))
        self.assertEqual(get_event(self.client, ev["id"]), event)
        listed = self.call("GET", "/events")
        self.assertEqual(listed.status, 200, listed)
        mine = [e for e in listed.body["events"] if e["id"] == ev["id"]]
        self.assertEqual(len(mine), 1, listed.body)
        self.assertEqual(mine[0]["poster"], event["poster"])

    def test_replacement_keeps_old_files_during_the_grace_period(self):
        ev = self.fresh_event()
        old = self.put_poster(ev["id"], make_image("jpeg", 800, 600))["poster"]
        new = self.put_poster(ev["id"], make_image("webp", 800, 600), "image/webp")["poster"]
        self.assertFalse(set(self.urls(old)) & set(self.urls(new)), (old, new))
        self.assertEqual(get_event(self.client, ev["id"])["poster"], new)
        self.assertServed(new)
        self.assertServed(old)

    def test_refused_uploads_store_nothing(self):
        # Under 1 MiB each, as is the first half of each.
        jpeg = make_image("jpeg", 900, 600)
        png = make_image("png", 900, 600, noise_levels=4)
        webp = make_image("webp", 900, 600)
        self.assertLess(max(len(jpeg), len(png), len(webp)), 1024 * 1024)
        gif = make_image("gif", 64, 48)
        tiff = make_image("tiff", 64, 48)
        avif = make_image("avif", 64, 48)
        for blob, kind in ((jpeg, "jpegload"), (png, "pngload"), (webp, "webpload"),
                           (gif, "gifload"), (tiff, "tiffload"), (avif, "heifload")):
            self.assertEqual(describe_images([blob])[0]["loader"], kind)
        over_limit = grey_png(8000, 5001)
        self.assertGreater(8000 * 5001, MAX_PIXELS)
        claims_huge = png_file(50000, 50000, zlib.compress(b"\x00" + bytes(3 * 50000)))
        cases = [
            ("first half of a JPEG", jpeg[:len(jpeg) // 2], "image/jpeg", 400, "invalid_image"),
            ("first half of a PNG", png[:len(png) // 2], "image/png", 400, "invalid_image"),
            ("first half of a WebP", webp[:len(webp) // 2], "image/webp", 400, "invalid_image"),
            ("GIF labelled image/jpeg", gif, "image/jpeg", 400, "invalid_image"),
            ("TIFF labelled image/png", tiff, "image/png", 400, "invalid_image"),
            ("AVIF labelled image/webp", avif, "image/webp", 400, "invalid_image"),
            ("empty body", b"", "image/jpeg", 400, "invalid_image"),
            ("text labelled image/jpeg", b"This is not a picture.\n" * 50, "image/jpeg", 400,
             "invalid_image"),
            ("PNG of 8000x5001 pixels", over_limit, "image/png", 400, "invalid_image"),
            ("PNG whose header says 50000x50000", claims_huge, "image/png", 400, "invalid_image"),
            ("GIF as image/gif", gif, "image/gif", 415, "unsupported_media_type"),
            ("TIFF as image/tiff", tiff, "image/tiff", 415, "unsupported_media_type"),
            ("JPEG as text/plain", jpeg, "text/plain", 415, "unsupported_media_type"),
            ("JPEG as application/json", jpeg, "application/json", 415, "unsupported_media_type"),
            ("JPEG without a Content-Type", jpeg, None, 415, "unsupported_media_type"),
        ]
        blank = self.fresh_event()
        shown = self.put_poster(self.fresh_event()["id"], make_image("jpeg", 500, 400))
        for name, body, content_type, status, code in cases:
            for event, poster in ((blank, None), (shown, shown["poster"])):
                with self.subTest(case=name, poster=poster is not None):
                    before = self.poster_files()
                    resp = self.upload(event["id"], body, content_type)
                    self.assertError(resp, status, code, msg=name)
                    self.assertEqual(get_event(self.client, event["id"])["poster"], poster)
                    self.assertEqual(self.poster_files(), before, "files changed by: " + name)
        self.assertServerAlive()
        self.assertServed(shown["poster"])

    def test_body_limit_is_20_mib(self):
        # The bodies are a JPEG padded with zeros after its end marker, which decoders
        # ignore: only the size decides.
        jpeg = make_image("jpeg", 700, 500)
        ev = self.fresh_event()
        before = self.poster_files()
        for size, chunked in ((25 * 1024 * 1024, False), (POSTER_BODY_LIMIT + 1, False),
                              (POSTER_BODY_LIMIT + 1, True)):
            with self.subTest(size=size, chunked=chunked):
                resp = self.upload(ev["id"], jpeg + bytes(size - len(jpeg)), chunked=chunked)
                self.assertError(resp, 413, "payload_too_large")
                self.assertIsNone(get_event(self.client, ev["id"])["poster"])
                self.assertEqual(self.poster_files(), before)
        for size, chunked in ((POSTER_BODY_LIMIT, False), (POSTER_BODY_LIMIT, True),
                              (1024 * 1024 + 1, False)):
            with self.subTest(size=size, chunked=chunked):
                resp = self.upload(ev["id"], jpeg + bytes(size - len(jpeg)), timeout=60,
                                   chunked=chunked)
                self.assertEqual(resp.status, 200, resp)
                self.assertPosterShape(resp.json["event"]["poster"], (700, 500), (320, 640, 700))

    def test_pixel_limit_is_40_megapixels(self):
        ev = self.fresh_event()
        resp = self.upload(ev["id"], grey_png(8000, 5000), "image/png", timeout=60)
        self.assertEqual(resp.status, 200, "8000x5000 is exactly 40 MP: %r" % (resp,))
        poster = resp.json["event"]["poster"]
        self.assertPosterShape(poster, (8000, 5000), VARIANT_WIDTHS)
        self.assertServed(poster)

    def test_upload_needs_an_admin(self):
        ev = self.fresh_event()
        jpeg = make_image("jpeg", 400, 300)
        before = self.poster_files()
        self.assertError(self.upload(ev["id"], jpeg, token=None), 401, "unauthenticated")
        self.assertError(self.upload(ev["id"], jpeg, token="not-a-session"), 401, "unauthenticated")
        self.assertError(self.upload(ev["id"], jpeg, token=self.signup().token), 403, "forbidden")
        self.assertError(self.upload(ev["id"], jpeg, token=self.staff.token), 403, "forbidden")
        resp = self.upload(ev["id"], jpeg, token=None, cookie=self.admin.cookie)
        self.assertError(resp, 403, "csrf_failed")
        self.assertError(self.upload("no-such-event-" + uuid.uuid4().hex, jpeg), 404, "not_found")
        self.assertIsNone(get_event(self.client, ev["id"])["poster"])
        self.assertEqual(self.poster_files(), before)
        # The same upload by the admin's cookie with the CSRF token works.
        resp = self.upload(ev["id"], jpeg, token=None, cookie=self.admin.cookie, csrf=self.admin.csrf)
        self.assertEqual(resp.status, 200, resp)
        self.assertPosterShape(resp.json["event"]["poster"], (400, 300), (320, 400))

    def test_unknown_poster_files(self):
        poster = self.put_poster(self.fresh_event()["id"], make_image("jpeg", 400, 300))["poster"]
        name = self.name_of(poster["url"])
        stem = name.split(".")[0]
        for path in ("/posters/%s.jpg" % ("0" * 32), "/posters/%s.webp" % ("f" * 32),
                     "/posters/%s.png" % stem, "/posters/%s" % stem, "/posters/%s.jpg.jpg" % stem,
                     "/posters/..%2f" + name, "/posters/" + name.upper(), "/posters/.Incoming",
                     "/posters/"):
            with self.subTest(path=path):
                self.assertError(self.client.request("GET", path), 404, "not_found")
                resp, rest = bare_exchange(self.server.port, "HEAD", path)
                self.assertEqual(resp.status, 404, resp)
                self.assertEqual(rest, b"")
        resp = self.client.request("POST", "/posters/" + name, b"x", content_type="image/jpeg")
        self.assertError(resp, 405, "method_not_allowed")
        self.assertEqual(self.fetch(poster["url"]).status, 200)


# --------------------------------------------------------------------------- base URLs


class PublicUrlTests(PosterChecks, SellingTestCase):
    server_env = {"BOXOFFICE_PUBLIC_URL": "https://tickets.example.com/"}
    url_prefix = "https://tickets.example.com"

    def test_poster_urls_are_absolute(self):
        ev = self.fresh_event()
        event = self.put_poster(ev["id"], make_image("jpeg", 700, 350))
        self.assertPosterShape(event["poster"], (700, 350), (320, 640, 700))
        self.assertServed(event["poster"])
        self.assertEqual(get_event(self.client, ev["id"])["poster"], event["poster"])


class PosterUrlTests(PosterChecks, SellingTestCase):
    server_env = {"BOXOFFICE_PUBLIC_URL": "https://tickets.example.com",
                  "BOXOFFICE_POSTER_URL": "https://cdn.example.net/media"}
    url_prefix = "https://cdn.example.net/media"

    def test_poster_url_comes_before_public_url(self):
        ev = self.fresh_event()
        poster = self.put_poster(ev["id"], make_image("webp", 350, 700), "image/webp")["poster"]
        self.assertPosterShape(poster, (350, 700), (320, 350))
        self.assertServed(poster)


# --------------------------------------------------------------------------- removal


class RetiredPosterTests(PosterChecks, SellingTestCase):
    server_env = {"BOXOFFICE_POSTER_RETIRE_SECONDS": "0",
                  "BOXOFFICE_POSTER_SWEEP_INTERVAL_MS": "200"}

    def statuses(self, urls):
        return {url: self.fetch(url).status for url in urls}

    def wait_gone(self, urls, what):
        gone = wait_until(lambda: set(self.statuses(urls).values()) == {404}, timeout=10)
        self.assertTrue(gone, "%s still served after 10 s: %r" % (what, self.statuses(urls)))

    def assertStillServed(self, urls, seconds):
        """Every URL answers 200 throughout `seconds` (several sweeps)."""
        deadline = time.monotonic() + seconds
        while True:
            statuses = self.statuses(urls)
            self.assertEqual(set(statuses.values()), {200}, statuses)
            if time.monotonic() >= deadline:
                return
            time.sleep(0.1)

    def test_replaced_files_are_removed_unless_still_shown(self):
        a, b, c = self.fresh_event(), self.fresh_event(), self.fresh_event()
        shared_image, come_back_image = make_image("jpeg", 700, 400), make_image("jpeg", 700, 400)
        shared = self.put_poster(a["id"], shared_image)["poster"]
        self.assertEqual(self.put_poster(b["id"], shared_image)["poster"], shared)
        middle = self.put_poster(a["id"], make_image("png", 700, 400), "image/png")["poster"]
        latest = self.put_poster(a["id"], make_image("jpeg", 700, 400))["poster"]
        # c shows a picture, then another: the first one's files go; then c shows the
        # first picture again, and its files are back.
        come_back = self.put_poster(c["id"], come_back_image)["poster"]
        passing = self.put_poster(c["id"], make_image("webp", 700, 400), "image/webp")["poster"]
        self.wait_gone(self.urls(come_back), "the files of c's first picture")
        self.assertEqual(self.put_poster(c["id"], come_back_image)["poster"], come_back)

        # Shown by no event any more: removed by a sweep.
        dropped = self.urls(middle) + self.urls(passing)
        self.wait_gone(dropped, "replaced files")
        self.assertError(self.fetch(dropped[0]), 404, "not_found")
        files = self.poster_files()
        for url in dropped:
            self.assertNotIn(os.path.join("posters", self.name_of(url)), files)

        # Still shown (by b, by c again, by a now): kept, across several more sweeps.
        self.assertStillServed(self.urls(shared) + self.urls(come_back) + self.urls(latest), 1.0)
        self.assertEqual(get_event(self.client, a["id"])["poster"], latest)
        self.assertEqual(get_event(self.client, b["id"])["poster"], shared)
        self.assertEqual(get_event(self.client, c["id"])["poster"], come_back)
        for poster in (shared, come_back, latest):
            self.assertServed(poster)

    def test_picture_shown_again_right_after_replacement_keeps_its_files(self):
        # The first picture is retired (due at once) by the second upload, and is the
        # event's poster again by the third, while sweeps run every 200 ms: whatever the
        # timing, the poster an event shows must stay served.
        for attempt in range(5):
            with self.subTest(attempt=attempt):
                ev = self.fresh_event()
                first_image = make_image("jpeg", 700, 400)
                first = self.put_poster(ev["id"], first_image)["poster"]
                self.put_poster(ev["id"], make_image("jpeg", 700, 400))
                self.assertEqual(self.put_poster(ev["id"], first_image)["poster"], first)
                self.assertStillServed(self.urls(first), 0.6)
                self.assertEqual(get_event(self.client, ev["id"])["poster"], first)


# --------------------------------------------------------------------------- image workers


class ImageWorkerLimitTests(PosterChecks, SellingTestCase):
    server_env = {"BOXOFFICE_IMAGE_WORKERS": "1", "BOXOFFICE_IMAGE_QUEUE": "0"}
    uploads = 8

    def test_busy_workers_answer_503(self):
        images = large_pngs(self.uploads)
        self.assertTrue(all(len(image) < POSTER_BODY_LIMIT for image in images))
        ev = self.fresh_event()
        before = self.poster_files()
        barrier = threading.Barrier(self.uploads)
        results = [None] * self.uploads

        def upload(i):
            try:
                barrier.wait(timeout=30)
                results[i] = self.upload(ev["id"], images[i], "image/png", timeout=60)
            except Exception as exc:  # reported below
                results[i] = exc

        threads = [threading.Thread(target=upload, args=(i,)) for i in range(self.uploads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertFalse([t for t in threads if t.is_alive()], "uploads still running after 120 s")
        failures = [r for r in results if not hasattr(r, "status")]
        self.assertFalse(failures, failures)
        self.assertTrue(all(r.status in (200, 503) for r in results), results)
        refused = [r for r in results if r.status == 503]
        accepted = [r for r in results if r.status == 200]
        self.assertTrue(refused, "no upload was refused: %r" % results)
        self.assertTrue(accepted, "no upload was accepted: %r" % results)
        for resp in refused:
            self.assertError(resp, 503, "overloaded")
            self.assertRegex(resp.header("Retry-After") or "", r"^[1-9][0-9]*$", resp.headers)

        posters = [r.json["event"]["poster"] for r in accepted]
        for poster in posters:
            self.assertPosterShape(poster, (6000, 5000), VARIANT_WIDTHS)
        final = get_event(self.client, ev["id"])["poster"]
        self.assertIn(final, posters)
        self.assertServed(final)
        stored = {os.path.join("posters", self.name_of(url)) for p in posters for url in self.urls(p)}
        self.assertLessEqual(self.poster_files() - before, stored,
                             "files stored for refused uploads")
        # The worker is free again.
        again = self.put_poster(ev["id"], make_image("jpeg", 400, 300))
        self.assertServed(again["poster"])


# --------------------------------------------------------------------------- S3


class S3StorageTests(PosterChecks, SellingTestCase):
    """Posters in an S3 bucket (the test services' S3-compatible server), read back
    through the server, and removed from it once replaced (no grace period here)."""

    @classmethod
    def setUpClass(cls):
        url = services_setting("BOXOFFICE_TEST_S3_URL")
        key_id = services_setting("BOXOFFICE_TEST_AWS_ACCESS_KEY_ID")
        secret = services_setting("BOXOFFICE_TEST_AWS_SECRET_ACCESS_KEY")
        if not (url and key_id and secret):
            raise unittest.SkipTest("no S3 test server: BOXOFFICE_TEST_S3_URL and its keys unset")
        # A folder of its own in the shared bucket.
        prefix = "prefix=it-posters-%s/" % uuid.uuid4().hex[:12]
        cls.server_env = {"BOXOFFICE_STORAGE_URL": url + ("&" if "?" in url else "?") + prefix,
                          "AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secret,
                          "BOXOFFICE_POSTER_RETIRE_SECONDS": "0",
                          "BOXOFFICE_POSTER_SWEEP_INTERVAL_MS": "200"}
        super().setUpClass()

    def test_posters_are_stored_in_and_served_from_s3(self):
        ev = self.fresh_event()
        image = make_image("jpeg", 1400, 700)
        poster = self.put_poster(ev["id"], image)["poster"]
        self.assertPosterShape(poster, (1400, 700), VARIANT_WIDTHS)
        bodies = self.assertServed(poster)
        self.assertConditionalAndHead(poster["url"], bodies[poster["url"]])
        self.assertEqual(self.poster_files(), set(), "poster files written to the local folder")
        # Content addressing holds across events here too.
        other = self.fresh_event()
        self.assertEqual(self.put_poster(other["id"], image)["poster"], poster)
        self.assertError(self.client.request("GET", "/posters/%s.jpg" % ("0" * 32)), 404, "not_found")
        self.assertError(self.upload(ev["id"], image[:len(image) // 2]), 400, "invalid_image")
        self.assertEqual(get_event(self.client, ev["id"])["poster"], poster)

    def test_replaced_posters_are_removed_from_s3(self):
        ev = self.fresh_event()
        old = self.put_poster(ev["id"], make_image("jpeg", 700, 400))["poster"]
        self.assertServed(old)
        new = self.put_poster(ev["id"], make_image("webp", 700, 400), "image/webp")["poster"]

        def old_statuses():
            return {url: self.fetch(url).status for url in self.urls(old)}

        gone = wait_until(lambda: set(old_statuses().values()) == {404}, timeout=10)
        self.assertTrue(gone, "replaced files still served after 10 s: %r" % old_statuses())
        self.assertServed(new)
        self.assertEqual(get_event(self.client, ev["id"])["poster"], new)


if __name__ == "__main__":
    unittest.main()
