"""Security headers for every response."""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Sent when someone signs out or deletes their account: the browser removes what this site
# keeps on the device, lessons saved for offline reading and answers waiting to be sent
# included (docs/offline.md). Browsers honour it on HTTPS and on localhost only, so the
# page script removes the same first (static/js/quick-exit.js).
CLEAR_SAVED_DATA = '"cache", "storage"'


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    # Same-origin: our own forms carry a Referer, which Flask-WTF's strict check needs over
    # HTTPS (docs/security.md); no other site ever learns an address of ours.
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if response.mimetype == "text/html":
        # Pages may show who is in training; keep them out of shared caches and history.
        headers["Cache-Control"] = "no-store"
    return response


def init_security(app: Flask) -> None:
    app.after_request(set_security_headers)
