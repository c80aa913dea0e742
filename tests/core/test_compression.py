"""Compression in the app (academy/core/compression.py) and hashed static addresses
(academy/core/static_files.py): smaller pages, nothing lost on the way, repeat visits
that fetch no file again."""

from __future__ import annotations

import gzip
import hashlib
import re

import brotli

from academy.core.config import PROJECT_ROOT
from academy.core.security import CONTENT_SECURITY_POLICY


def test_pages_are_compressed_when_the_browser_accepts_it(client):
    plain = client.get("/sign-in")
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = client.get("/sign-in", headers={"Accept-Encoding": encoding})

        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert len(response.data) < len(plain.data) / 2
        # the same page, with its security headers untouched
        assert decompress(response.data).count(b"<form") == plain.data.count(b"<form")
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["Cache-Control"] == "no-store"


def test_without_accept_encoding_nothing_is_compressed(client):
    response = client.get("/sign-in")

    assert "Content-Encoding" not in response.headers
    assert b"<form" in response.data


def test_tiny_responses_are_sent_as_they_are(client):
    redirect = client.get("/modules", headers={"Accept-Encoding": "gzip"})
    session = client.get("/offline/session", headers={"Accept-Encoding": "gzip"})

    assert redirect.status_code == 302 and "Content-Encoding" not in redirect.headers
    assert session.data == b'{"key":null}\n' and "Content-Encoding" not in session.headers


def versioned(html: str, filename: str) -> str:
    return re.search(rf'"(/static/{re.escape(filename)}\?v=[0-9a-f]{{12}})"', html).group(1)


def test_static_links_name_their_contents_hash(client):
    url = versioned(client.get("/").text, "css/app.css")

    content = (PROJECT_ROOT / "static" / "css" / "app.css").read_bytes()
    assert url.endswith("?v=" + hashlib.sha256(content).hexdigest()[:12])


def test_a_versioned_file_is_cached_for_a_year_and_revalidates_with_its_etag(client):
    url = versioned(client.get("/").text, "css/app.css")

    first = client.get(url, headers={"Accept-Encoding": "gzip"}, buffered=True)
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert first.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.data) == (PROJECT_ROOT / "static/css/app.css").read_bytes()
    etag = first.headers["ETag"]
    assert etag.endswith(':gzip"')  # another encoding, another validator

    again = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag}, buffered=True
    )
    assert again.status_code == 304 and not again.data


def test_an_old_or_missing_version_is_not_cached_for_long(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(url, buffered=True)
        assert response.status_code == 200
        assert "immutable" not in response.headers["Cache-Control"]
