"""Static files that cost nothing on a repeat visit: every link to one carries a hash of
its content (``/static/css/app.css?v=3f2a…``), and a request with the current hash is
answered with a year's ``max-age`` and ``immutable``. A changed file gets a new hash, so
a new address, and the browser fetches it once; an address without the hash (or with an
old one) is revalidated every time, as before.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, request

VERSION_ARG = "v"
EXTENSION_KEY = "academy.static_versions"
# A year: the longest lifetime HTTP caches are asked to keep anything.
IMMUTABLE = "public, max-age=31536000, immutable"


def static_version(filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, recomputed when the file changes
    (its modification time), None for a file that does not exist."""
    folder = current_app.static_folder
    if folder is None:
        return None
    path = Path(folder) / filename
    try:
        modified = path.stat().st_mtime_ns
    except (OSError, ValueError):
        return None
    versions: dict[str, tuple[int, str]] = current_app.extensions[EXTENSION_KEY]
    known = versions.get(filename)
    if known is None or known[0] != modified:
        known = versions[filename] = (modified, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
    return known[1]


def _add_version(endpoint: str, values: dict) -> None:
    """``url_for('static', filename=...)`` gains ``v=<hash>`` (a url_defaults hook)."""
    if endpoint == "static" and VERSION_ARG not in values and "filename" in values:
        version = static_version(values["filename"])
        if version is not None:
            values[VERSION_ARG] = version


def _cache_versioned(response: Response) -> Response:
    """A request that names the file's current hash may be cached for good."""
    if (
        request.endpoint == "static"
        and response.status_code in (200, 304)
        and request.view_args is not None
        and request.args.get(VERSION_ARG)
        == static_version(str(request.view_args.get("filename", "")))
    ):
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def init_static_files(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = {}
    app.url_defaults(_add_version)
    app.after_request(_cache_versioned)
