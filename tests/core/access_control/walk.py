"""The walk: every route of the URL map as one role, compared with the table."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import Flask, url_for

from access_control.request_data import FORMS, LAST, OWN_CLIENT, URL_ARGS
from access_control.table import (
    EXPECTED,
    KEPT_FROM,
    LOGIN,
    NAMES_THE_HOLDER,
    OK,
    OWNER_NAME,
    USERNAMES,
)
from access_control.world import World
from tests.conftest import PASSWORD


def route_keys(app: Flask) -> list[tuple[str, str]]:
    """Every (method, endpoint) in the URL map, in the map's order."""
    keys: list[tuple[str, str]] = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (method, rule.endpoint) not in keys:
                keys.append((method, rule.endpoint))
    return keys


def walk_order(app: Flask) -> list[tuple[str, str]]:
    keys = route_keys(app)
    return [key for key in keys if key not in LAST] + [key for key in LAST if key in keys]


def outcome(response) -> str:
    status = response.status_code
    if 300 <= status < 400:
        target = urlsplit(response.headers.get("Location", ""))
        if target.path == "/sign-in" and "next" in parse_qs(target.query):
            return LOGIN
        return OK
    if 200 <= status < 300:
        return OK
    return str(status)


def describe(response) -> str:
    if 300 <= response.status_code < 400:
        return f"{response.status_code} to {response.headers.get('Location')}"
    return str(response.status_code)


def signed_in_client(app: Flask, role: str):
    client = app.test_client()
    if role != "anonymous":
        response = client.post("/sign-in", data={"username": USERNAMES[role], "password": PASSWORD})
        assert outcome(response) == OK and response.headers["Location"] != "/sign-in/code", (
            f"{role} could not sign in: {describe(response)}"
        )
    return client


def build_url(app: Flask, endpoint: str, w: World) -> str:
    with app.test_request_context():
        return url_for(endpoint, **URL_ARGS.get(endpoint, lambda _: {})(w))


def walk(app: Flask, w: World, role: str) -> list[str]:
    """Every route as ``role``; what differs from EXPECTED, one line each."""
    mismatches: list[str] = []
    client = signed_in_client(app, role)
    for key in walk_order(app):
        method, endpoint = key
        if key not in EXPECTED:  # test_every_route_has_an_entry names it
            mismatches.append(f"{method} {endpoint}: no entry in EXPECTED")
            continue
        expected = EXPECTED[key][role]
        url = endpoint
        try:
            url = build_url(app, endpoint, w)
            data = FORMS.get(key)
            if callable(data):
                data = data(w, role)
            headers = {}
            if endpoint.startswith("api.") and role in w.tokens:
                headers["Authorization"] = f"Bearer {w.tokens[role]}"
            by = signed_in_client(app, role) if key in OWN_CLIENT else client
            response = by.open(url, method=method, data=data, headers=headers)
        except Exception as error:  # report it with the rest, and carry on
            mismatches.append(f"{method} {url} as {role}: expected {expected}, raised {error!r}")
            continue
        body = response.get_data()
        response.close()  # a static file stays open until then
        if outcome(response) != expected:
            mismatches.append(
                f"{method} {url} as {role}: expected {expected}, got {describe(response)}"
            )
        elif role in KEPT_FROM and OWNER_NAME.encode() in body and key not in NAMES_THE_HOLDER:
            mismatches.append(f"{method} {url} as {role}: shows the owner's name")
    return mismatches
