"""Quick exit: on every page, first in tab order, ends the session, leaves no way back."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from academy.core.config import DEFAULT_EXIT_URL
from academy.modules.accounts.models import Role

LESSON = "/modules/basics/lessons/first-steps"
SKIP_LINK_TEXT = "Leave this page quickly (press Shift 3 times)"
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


class FocusOrder(HTMLParser):
    """The focusable elements of a page, in document (= tab) order."""

    def __init__(self) -> None:
        super().__init__()
        self.focusable: list[dict[str, str | None]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        tabindex = attributes.get("tabindex")
        if tabindex is not None and int(tabindex) < 0:
            return
        if (
            (tag == "a" and "href" in attributes)
            or tag in ("button", "select", "textarea")
            or (tag == "input" and attributes.get("type") != "hidden")
            or tabindex is not None
        ):
            element = {"tag": tag, **attributes, "text": ""}
            self.focusable.append(element)
            self._open = element if tag in ("a", "button") else None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if self._open is not None and tag == self._open["tag"]:
            self._open["text"] = " ".join(self._open["text"].split())
            self._open = None


def focus_order(html: str) -> list[dict]:
    parser = FocusOrder()
    parser.feed(html)
    return parser.focusable


def page_as(client, auth, user, path: str) -> str:
    if user is not None:
        auth.sign_in(user)
    response = client.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    return response.text


SAMPLE = [
    ("home", None, "/"),
    ("sign-in", None, "/sign-in"),
    ("verify", None, "/verify"),
    ("safety", None, "/safety"),
    ("not found", None, "/no-such-page"),
    ("catalogue", Role.TRAINEE, "/modules"),
    ("module", Role.TRAINEE, "/modules/basics"),
    ("lesson", Role.TRAINEE, LESSON),
    ("certificates", Role.TRAINEE, "/certificates"),
    ("account", Role.TRAINEE, "/account"),
    ("trainer preview of a warned module", Role.TRAINER, "/modules/advanced"),
]


@pytest.mark.parametrize(("name", "role", "path"), SAMPLE, ids=[s[0] for s in SAMPLE])
def test_every_page_starts_with_the_quick_exit(client, auth, make_user, name, role, path):
    html = page_as(client, auth, make_user(role) if role else None, path)
    order = focus_order(html)

    first, second, third = order[0], order[1], order[2]
    # 1. the skip link that leaves at once, 2. skip to content, 3. the visible button
    assert first["href"] == "/leave"
    assert first["text"] == SKIP_LINK_TEXT
    assert "js-quick-exit" in first["class"]
    assert first["data-exit-url"] == DEFAULT_EXIT_URL
    assert second["text"] == "Skip to content" and second["href"] == "#main"
    assert third["href"] == "/leave" and third["text"] == "Leave this page"
    assert "quick-exit" in third["class"].split()
    assert third["data-exit-url"] == DEFAULT_EXIT_URL


@pytest.mark.parametrize(("name", "role", "path"), SAMPLE, ids=[s[0] for s in SAMPLE])
def test_pages_load_the_script_from_the_app_and_have_no_inline_code(
    client, auth, make_user, name, role, path
):
    html = page_as(client, auth, make_user(role) if role else None, path)

    scripts = re.findall(r"<script\b[^>]*\bsrc=\"([^\"?]+)\?v=[0-9a-f]{12}\"[^>]*\bdefer\b", html)
    expected = ["/static/js/quick-exit.js", "/static/js/offline.js"]
    if name == "lesson":  # and the lesson's read-aloud control (docs/accessibility.md)
        expected.append("/static/js/read-aloud.js")
    assert scripts == expected
    assert len(re.findall(r"<script\b", html)) == len(expected)
    assert not re.search(r"<script\b(?![^>]*\bsrc=)", html), "inline script"
    assert not re.search(r"\sstyle\s*=", html), "inline style attribute"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert 'href="/safety">Staying safe online</a>' in html


def test_the_script_is_served_by_the_app_as_javascript(client):
    response = client.get("/static/js/quick-exit.js", buffered=True)

    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")
    script = response.text
    assert "location.replace(exitUrl)" in script
    assert '"Shift"' in script
    assert "keepalive: true" in script
    assert "pageshow" in script


def test_leaving_redirects_to_the_neutral_site_without_a_trace_in_the_cache(client):
    response = client.get("/leave")

    assert response.status_code == 303
    assert response.location == DEFAULT_EXIT_URL
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Clear-Site-Data"] == CLEAR_SITE_DATA


def test_leaving_ends_the_session_and_a_copied_cookie_no_longer_works(client, auth, trainee):
    auth.sign_in(trainee)
    assert client.get("/modules").status_code == 200
    copied = client.get_cookie("academy_session").value

    response = client.get("/leave")

    assert response.status_code == 303 and response.location == DEFAULT_EXIT_URL
    assert "academy_session=;" in response.headers["Set-Cookie"]  # the browser forgets it
    assert client.get("/modules").location.startswith("/sign-in")
    # Someone who copied the cookie before the exit cannot use it afterwards.
    client.set_cookie("academy_session", copied)
    replay = client.get("/modules")
    assert replay.status_code == 302 and replay.location.startswith("/sign-in")


def test_leaving_works_for_a_visitor_who_is_not_signed_in(client):
    response = client.get("/leave")

    assert response.status_code == 303
    assert response.location == DEFAULT_EXIT_URL


def test_leaving_needs_no_csrf_token_even_when_csrf_is_on(app, client):
    app.config["WTF_CSRF_ENABLED"] = True

    assert client.get("/leave").status_code == 303


@pytest.mark.parametrize(
    "app_config", [{"ACADEMY_EXIT_URL": "https://weather.example.org/today"}], indirect=True
)
def test_the_operator_chooses_the_neutral_site(client):
    assert client.get("/leave").location == "https://weather.example.org/today"
    assert 'data-exit-url="https://weather.example.org/today"' in client.get("/").text


@pytest.mark.parametrize(
    "app_config",
    [{"ACADEMY_EXIT_URL": "javascript:alert(1)"}, {"ACADEMY_EXIT_URL": "/modules"}],
    indirect=True,
)
def test_an_unsafe_exit_url_falls_back_to_the_harmless_default(client):
    assert client.get("/leave").location == DEFAULT_EXIT_URL
    assert f'data-exit-url="{DEFAULT_EXIT_URL}"' in client.get("/").text
