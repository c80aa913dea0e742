"""No page makes the browser contact another site.

Every GET route of the app is rendered for every role (anonymous, trainee, trainer, centre
coordinator, admin), with URL parameters filled from a seeded database, and every HTML
page, stylesheet, script and SVG is scanned for addresses of other hosts: in src, href,
srcset, action and similar attributes, in CSS url() and @import, and in redirects. The
one allowed exception is the configured quick-exit address (ACADEMY_EXIT_URL), exactly
where the quick-exit link carries it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from academy.core.extensions import db
from academy.modules.accounts import invitations
from academy.modules.accounts.models import Role, User
from academy.modules.centres import api_tokens, tasks
from academy.modules.centres.models import Coordinator
from academy.modules.credentials import keys
from tests.conftest import build_config
from tests.modules.accounts.seed import seed_person

APP_HOST = "localhost"  # the test client's host
URL_ATTRIBUTES = {
    "action",
    "background",
    "cite",
    "data",
    "formaction",
    "href",
    "icon",
    "imagesrcset",
    "manifest",
    "ping",
    "poster",
    "src",
    "srcset",
    "xlink:href",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
JS_URL = re.compile(r"""https?://[^\s'"`)]+|['"`]//[^\s'"`]+""", re.IGNORECASE)
ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
SCANNED = {"text/html", "image/svg+xml", "text/css", "text/javascript", "application/javascript"}
ROLES = (None, Role.TRAINEE, Role.TRAINER, Role.CENTRE, Role.ADMIN)
# Leaving signs out; it comes last for each role.
SIGNS_OUT = {"safety.leave", "accounts.sign_out"}


def is_external(url: str) -> bool:
    """True for an address on another host: "//host/..." or "http(s)://host/..."."""
    url = "".join(url.split()).replace("\\", "/")
    if not ABSOLUTE.match(url):
        return False
    scheme, _, rest = url.partition("//")
    if scheme and scheme.lower() not in ("http:", "https:"):
        return False
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1]
    return host.split(":", 1)[0].lower() != APP_HOST


def srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def css_urls(css: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(css)]


class _Scanner(HTMLParser):
    def __init__(self, exit_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.exit_url = exit_url
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        for name, value in attrs:
            value = value or ""
            if name.startswith("xmlns"):
                continue  # a namespace name, never fetched
            if self._allowed(tag, classes, name, value):
                continue
            urls: list[str] = []
            if name in ("srcset", "imagesrcset"):
                urls = srcset_urls(value)
            elif name in URL_ATTRIBUTES:
                urls = [value]
            elif name == "style":
                urls = css_urls(value)
            elif name == "content" and dict(attrs).get("http-equiv", "").lower() == "refresh":
                urls = [value.split("=", 1)[-1]]
            else:
                urls = [value]  # any other attribute holding an address (data-*, ...)
            self.found += [f"<{tag} {name}={url}>" for url in urls if is_external(url)]
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [f"<style> {url}" for url in css_urls(data) if is_external(url)]

    def _allowed(self, tag: str, classes: set[str], name: str, value: str) -> bool:
        """The quick exit's neutral site, exactly where the quick-exit link carries it."""
        if value != self.exit_url:
            return False
        quick_exit = tag == "a" and bool(classes & {"quick-exit", "js-quick-exit"})
        return quick_exit and name in ("href", "data-exit-url")


def external_addresses(body: str, mimetype: str, exit_url: str) -> list[str]:
    if mimetype in ("text/html", "image/svg+xml"):
        scanner = _Scanner(exit_url)
        scanner.feed(body)
        scanner.close()
        return scanner.found
    if mimetype == "text/css":
        return [url for url in css_urls(body) if is_external(url)]
    if mimetype in ("text/javascript", "application/javascript"):
        return [url for url in JS_URL.findall(body) if is_external(url.strip("'\"`"))]
    return []


# --- the scanner itself -------------------------------------------------------------------


EXIT = "https://neutral.example/"


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://cdn.example/x.png">',
        '<script src="//cdn.example/x.js"></script>',
        '<link rel="stylesheet" href="http://fonts.example/css">',
        '<img srcset="/a.png 1x, https://cdn.example/b.png 2x">',
        "<div style=\"background: url('https://t.example/p.gif')\"></div>",
        "<style>@import 'https://fonts.example/font.css';</style>",
        "<style>body { background: url(//t.example/p.gif) }</style>",
        '<form action="https://collect.example/"></form>',
        '<a href="https://elsewhere.example/">a link</a>',
        '<a href=" HTTPS://elsewhere.example/">spaced</a>',
        '<iframe src="https://video.example/embed"></iframe>',
        '<meta http-equiv="refresh" content="0;url=https://away.example/">',
        f'<a class="other" href="{EXIT}">not the quick exit</a>',
        '<a class="quick-exit" href="https://not-the-configured.example/">x</a>',
        f'<span data-exit-url="{EXIT}"></span>',
    ],
)
def test_the_scanner_finds_external_addresses(html):
    assert external_addresses(html, "text/html", EXIT) != []


@pytest.mark.parametrize(
    "html",
    [
        '<img src="/static/x.png"><a href="/modules">local</a><a href="#main">skip</a>',
        '<a href="http://localhost/verify">own host</a><a href="mailto:x@example.org">m</a>',
        '<link rel="stylesheet" href="/static/css/app.css"><form action="/sign-in"></form>',
        f'<a class="quick-exit js-quick-exit" href="/leave" data-exit-url="{EXIT}">Leave</a>',
        f'<a class="quick-exit" href="{EXIT}">Leave</a>',
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    ],
)
def test_the_scanner_accepts_local_addresses_and_the_quick_exit(html):
    assert external_addresses(html, "text/html", EXIT) == []


def test_the_scanner_reads_css_and_scripts():
    assert external_addresses("a{background:url(https://x.example/a)}", "text/css", EXIT)
    assert external_addresses("@import url('//x.example/a.css');", "text/css", EXIT)
    assert not external_addresses("a{background:url(/static/a.svg)}", "text/css", EXIT)
    assert external_addresses('fetch("https://x.example/beacon")', "text/javascript", EXIT)
    assert not external_addresses("var a = 1; // a comment", "text/javascript", EXIT)


# --- every page, every role ---------------------------------------------------------------


@pytest.fixture
def app_config(tmp_path) -> dict:
    return build_config(tmp_path, RATELIMIT_ENABLED=False, ACADEMY_OPEN_REGISTRATION=True)


@dataclass
class World:
    users: dict[Role, User]
    values: dict[str, object]


@pytest.fixture
def world(make_user) -> World:
    trainer = make_user(Role.TRAINER, "trainer-one", "Trainer Kim")
    admin = make_user(Role.ADMIN, "admin-one", "Admin")
    person = seed_person(make_user, trainer, "ayo-sign-in", "Ayo", "Centre A")
    coordinator = db.session.get(
        User,
        db.session.scalar(select(Coordinator.user_id).filter_by(centre_id=person.centre.id)),
    )
    requirement = next(r.value for group in tasks.requirement_groups() for r in group.requirements)
    task = tasks.save_task(person.centre, "Accompany a client", "", [requirement])
    api_token, _ = api_tokens.create_token(person.centre, "Case system", coordinator)
    invitation, token = invitations.create_invitation(admin, Role.TRAINEE)
    db.session.commit()
    return World(
        users={
            Role.TRAINEE: person.user,
            Role.TRAINER: trainer,
            Role.CENTRE: coordinator,
            Role.ADMIN: admin,
        },
        values={
            "slug": "basics",
            "lesson_slug": "first-steps",
            "path_slug": "fixture-practice",
            "scenario_id": "crisis",
            "attempt_id": person.attempt.id,
            "user_id": person.user.id,
            "code": person.certificate.code,
            "token": token,
            "task_id": task.id,
            "token_id": api_token.id,
            "centre_id": person.centre.id,
            "certificate_id": person.certificate.id,
            "invitation_id": invitation.id,
            "key": keys.load_keyring().current.public_key_multibase,
            "version": "1.0",  # of basics: item analysis
        },
    )


def static_files(app) -> list[str]:
    from pathlib import Path

    root = Path(app.static_folder)
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.suffix in (".css", ".js", ".svg", ".html")
    )


def get_urls(app, values: dict[str, object]) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET route, parameters filled; those that sign out last."""
    urls = []
    missing = set()
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods:
                continue
            if rule.endpoint == "static":
                urls += [("static", url_for("static", filename=f)) for f in static_files(app)]
                continue
            unknown = rule.arguments - set(values)
            if unknown:
                missing.add(f"{rule.rule}: {sorted(unknown)}")
                continue
            args = {name: values[name] for name in rule.arguments}
            urls.append((rule.endpoint, url_for(rule.endpoint, **args)))
    assert not missing, f"add values for these URL parameters to the test's world: {missing}"
    return sorted(urls, key=lambda item: item[0] in SIGNS_OUT)


def test_no_page_loads_or_links_anything_from_another_site(app, client, auth, world):
    exit_url = app.config["ACADEMY_EXIT_URL"]
    assert is_external(exit_url)  # so the exception below is really exercised
    urls = get_urls(app, world.values)
    problems: list[str] = []
    pages_scanned = 0
    for role in ROLES:
        client.post("/sign-out")
        if role is not None:
            assert auth.sign_in(world.users[role]).status_code == 302
        for endpoint, url in urls:
            with client.get(url) as response:
                who = role.value if role else "anonymous"
                location = response.headers.get("Location", "")
                if location and is_external(location) and location != exit_url:
                    problems.append(f"{who} {url}: redirects to {location}")
                if endpoint == "safety.leave" and location:
                    assert location == exit_url
                csp = response.headers.get("Content-Security-Policy", "")
                if re.search(r"https?:|//", csp):
                    problems.append(f"{who} {url}: CSP allows another site: {csp}")
                if response.mimetype not in SCANNED or location:
                    continue  # JSON, PDF, CSV: data; a redirect's body only links Location
                body = response.get_data(as_text=True)
                found = external_addresses(body, response.mimetype, exit_url)
                problems += [f"{who} {url}: {address}" for address in found]
                pages_scanned += response.mimetype == "text/html" and response.status_code == 200
    assert problems == []
    # The walk really reached the pages (not just sign-in redirects).
    assert pages_scanned > 4 * len(ROLES)


def test_quick_exit_link_carries_exactly_the_configured_address(app, client):
    page = client.get("/").get_data(as_text=True)
    exit_url = app.config["ACADEMY_EXIT_URL"]
    carried = re.findall(r'data-exit-url="([^"]*)"', page)
    assert carried and set(carried) == {exit_url}
