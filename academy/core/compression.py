"""Responses compressed by the app (Flask-Compress): Brotli or gzip, whichever the
browser accepts, for pages, CSS, JavaScript, JSON and SVG; a trainee's page and all it
loads stay under 30 KB on the wire (tests/core/test_page_weight.py).

- Tiny responses (under 1 KB, e.g. a redirect) go out as they are: compressing them
  saves less than one network packet and costs the time to do it.
- A static file's ETag gains the encoding (``"…:br"``), so a conditional request still
  gets its 304, and a versioned static file is compressed once per process and kept
  (``StaticFileCache``), not on every request.
- Only the body changes: the security headers (CSP and the rest) pass through untouched.
"""

from __future__ import annotations

from flask import Flask, Request, Response, request
from flask_compress import Compress

from academy.core.static_files import VERSION_ARG

MIME_TYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
]
# The most a small file of ours can hold in memory, compressed, per encoding.
MAX_CACHED_FILES = 200


class StaticFileCache:
    """Compressed versioned static files (the only keys ``static_cache_key`` gives)."""

    def __init__(self) -> None:
        self._entries: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._entries.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";"):  # not a versioned static file: never kept
            return
        if len(self._entries) >= MAX_CACHED_FILES:
            self._entries.clear()
        self._entries[key] = value


def static_cache_key(req: Request) -> str:
    """A versioned static file's address (its content's hash is in it), else nothing."""
    if req.endpoint == "static" and req.args.get(VERSION_ARG):
        return req.full_path
    return ""


def _read_static_file(response: Response) -> Response:
    """A static file is sent as a stream; read it (they are small) so it is compressed
    as a whole, with gzip too, and its compressed form can be kept."""
    if request.endpoint == "static" and response.status_code == 200 and response.is_streamed:
        response.direct_passthrough = False
        response.get_data()
    return response


def init_compression(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", MIME_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    app.config.setdefault("COMPRESS_CACHE_KEY", static_cache_key)
    cache = StaticFileCache()
    app.config.setdefault("COMPRESS_CACHE_BACKEND", lambda: cache)
    Compress(app)
    # Registered after Compress: after_request hooks run last-registered first.
    app.after_request(_read_static_file)
