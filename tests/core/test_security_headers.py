"""Security headers on every response: pages, redirects, errors, static files, JSON,
images; HSTS only over HTTPS; and no inline script or style in any page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask
from werkzeug.exceptions import InternalServerError

from academy.core.security import CONTENT_SECURITY_POLICY
from academy.modules.accounts.models import Role

HSTS = "Strict-Transport-Security"


def assert_security_headers(response, where: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    directives = {part.strip() for part in csp.split(";")}
    assert "frame-ancestors 'none'" in directives, where
    assert "default-src 'self'" in directives, where
    assert "script-src 'self'" in directives, where
    assert "style-src 'self'" in directives, where
    assert "object-src 'none'" in directives, where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert HSTS not in headers, where  # plain HTTP here


def parameterless_get_paths(app: Flask) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and not rule.arguments
    )


class _InlineFinder(HTMLParser):
    """Collects what a strict CSP (no 'unsafe-inline') would block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"<{tag} style>")
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:>")


def inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def visit_everything(app: Flask, client) -> list[tuple[str, object]]:
    paths = parameterless_get_paths(app) + [
        "/static/css/app.css",
        "/no-such-page",  # 404
        "/sign-out",  # 405: POST only
        "/api/v1/certificates/not-a-code",  # JSON 400
        "/api/v1/certificates/ABCD-EFGH-JKMN-PQRS-TVWX",  # JSON 404
        "/verify/ABCD-EFGH-JKMN-PQRS-TVWX",  # a redirect
    ]
    responses = []
    for path in paths:
        response = client.get(path)
        response.get_data()  # read it, then close it (static files are streamed)
        response.close()
        responses.append((path, response))
    return responses


def test_every_response_to_a_visitor_has_the_headers_and_no_inline_code(app, client):
    for where, response in visit_everything(app, client):
        assert_security_headers(response, where)
        if response.mimetype == "text/html" and response.status_code != 302:
            assert inline_code(response.text) == [], where


@pytest.mark.parametrize("role", list(Role))
def test_every_response_to_a_signed_in_person_has_the_headers_and_no_inline_code(
    app, client, auth, make_user, role
):
    auth.sign_in(make_user(role))

    for where, response in visit_everything(app, client):
        assert_security_headers(response, f"{role} {where}")
        if response.mimetype == "text/html" and response.status_code != 302:
            assert inline_code(response.text) == [], f"{role} {where}"


def test_the_policy_is_the_strict_one(client):
    assert client.get("/").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_an_unexpected_error_page_has_the_headers(app, client):
    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/test-broken", view_func=broken)

    response = client.get("/test-broken")

    assert response.status_code == 500
    assert_security_headers(response, "500")
    assert "boom" not in response.text


def test_an_aborted_500_has_the_headers(app, client):
    def aborted():
        raise InternalServerError()

    app.add_url_rule("/test-aborted", view_func=aborted)

    assert_security_headers(client.get("/test-aborted"), "500")


def test_the_two_factor_qr_image_has_the_headers(client, auth, make_user):
    auth.sign_in(make_user(Role.TRAINER))
    client.post("/account/2fa/setup")

    response = client.get("/account/2fa/qr.svg")

    assert response.mimetype == "image/svg+xml"
    assert_security_headers(response, "qr")


@pytest.mark.parametrize(
    "app_config", [{"ACADEMY_LIMIT_VERIFY": "1 per minute"}], indirect=True, ids=["tight"]
)
def test_a_429_has_the_headers(client):
    client.get("/verify")

    response = client.get("/verify")

    assert response.status_code == 429
    assert_security_headers(response, "429")


# --- HSTS -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/sign-in", "/static/css/app.css", "/no-such-page"])
def test_hsts_is_sent_over_https_only(client, path):
    over_https = client.get(path, base_url="https://localhost")
    over_http = client.get(path, base_url="http://localhost")
    for response in (over_https, over_http):
        response.close()

    assert over_https.headers[HSTS] == "max-age=63072000; includeSubDomains"
    assert HSTS not in over_http.headers


def test_hsts_on_https_api_answers_too(client):
    response = client.get("/api/v1/certificates/not-a-code", base_url="https://localhost")

    assert response.headers[HSTS].startswith("max-age=")


@pytest.mark.parametrize("app_config", [{"ACADEMY_PROXY_FIX": 1}], indirect=True, ids=["proxy"])
def test_behind_a_trusted_proxy_https_is_read_from_x_forwarded_proto(client):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})

    assert HSTS in response.headers


def test_without_proxy_fix_x_forwarded_proto_is_not_believed(client):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})

    assert HSTS not in response.headers
