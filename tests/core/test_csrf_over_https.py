"""Forms work over HTTPS, with the headers a browser really sends, and CSRF stays strict.

Over HTTPS Flask-WTF refuses a POST whose ``Referer`` is missing or names another host.
Whether a browser sends one is decided by the page's referrer policy (the
``Referrer-Policy`` header and the ``<meta name="referrer">`` tag), so these tests work out
the ``Referer`` and ``Origin`` a browser would send from the policy the app announces,
following the Referrer Policy and Fetch specifications, instead of writing them by hand.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD, csrf_token_from

CSRF_ON = pytest.mark.parametrize(
    "app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True, ids=["csrf"]
)
SITE = "https://academy.example.org"
ELSEWHERE = "https://www.wikipedia.org/"
CSRF_REFUSED = "This form had expired or was sent twice. Nothing was saved"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def browser_referer(policy: str, page_url: str, target_url: str) -> str | None:
    """The ``Referer`` a browser sends from ``page_url`` to ``target_url`` (both HTTPS)."""
    same_origin = _origin(page_url) == _origin(target_url)
    stripped = page_url.split("#")[0]
    if policy == "no-referrer":
        return None
    if policy == "same-origin":
        return stripped if same_origin else None
    if policy in ("strict-origin", "origin"):
        return _origin(page_url) + "/"
    if policy in ("strict-origin-when-cross-origin", "origin-when-cross-origin"):
        return stripped if same_origin else _origin(page_url) + "/"
    raise AssertionError(f"a policy this test does not know: {policy!r}")


def browser_origin(policy: str, page_url: str, target_url: str) -> str:
    """The ``Origin`` header of a form POST (Fetch: "append a request Origin header")."""
    if policy == "no-referrer":
        return "null"
    if policy == "same-origin" and _origin(page_url) != _origin(target_url):
        return "null"
    return _origin(page_url)


def page_policy(response) -> str:
    """The policy a browser applies to the page: the header, overridden by a meta tag."""
    policy = response.headers["Referrer-Policy"].split(",")[-1].strip()
    meta = re.search(r'<meta name="referrer" content="([^"]+)">', response.get_data(as_text=True))
    return meta.group(1) if meta else policy


def post_like_a_browser(client, page_path: str, action: str, data: dict):
    """GET the page over HTTPS, then send its form as a browser would from there."""
    page = client.get(page_path, base_url=SITE)
    assert page.status_code == 200
    policy = page_policy(page)
    page_url, target = SITE + page_path, SITE + action
    headers = {"Origin": browser_origin(policy, page_url, target)}
    referer = browser_referer(policy, page_url, target)
    if referer is not None:
        headers["Referer"] = referer
    form = data | {"csrf_token": csrf_token_from(page.get_data(as_text=True))}
    return client.post(action, data=form, headers=headers, base_url=SITE)


@CSRF_ON
def test_signing_in_and_out_over_https_works_with_a_browsers_headers(client, trainee):
    signed_in = post_like_a_browser(
        client, "/sign-in", "/sign-in", {"username": trainee.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)
    assert signed_in.headers["Location"].endswith("/modules")
    assert "Secure" in signed_in.headers["Set-Cookie"]
    assert client.get("/modules", base_url=SITE).status_code == 200

    signed_out = post_like_a_browser(client, "/account", "/sign-out", {})
    assert signed_out.status_code == 302, signed_out.get_data(as_text=True)
    assert client.get("/modules", base_url=SITE).status_code == 302  # to the sign-in page


@CSRF_ON
def test_pages_send_no_address_to_other_sites(client):
    for path in ("/sign-in", "/verify", "/safety"):
        page = client.get(path, base_url=SITE)
        policy = page_policy(page)
        assert page.headers["Referrer-Policy"] == policy  # header and meta tag agree
        assert browser_referer(policy, SITE + path, ELSEWHERE) is None, path
        assert browser_origin(policy, SITE + path, ELSEWHERE) == "null", path


@CSRF_ON
@pytest.mark.parametrize(
    "referer",
    [None, "https://evil.example/sign-in", "http://academy.example.org/sign-in"],
    ids=["no-referer", "another-site", "plain-http"],
)
def test_over_https_the_strict_referer_check_still_refuses(client, trainee, referer):
    page = client.get("/sign-in", base_url=SITE)
    form = {
        "username": trainee.username,
        "password": PASSWORD,
        "csrf_token": csrf_token_from(page.get_data(as_text=True)),
    }
    headers = {"Referer": referer} if referer else {}
    response = client.post("/sign-in", data=form, headers=headers, base_url=SITE)
    assert response.status_code == 400
    assert CSRF_REFUSED in response.get_data(as_text=True)
    assert client.get("/modules", base_url=SITE).status_code == 302  # not signed in
