"""Hostile values on every route, for every role: never a 500 (docs/security.md, "Hostile
input").

Hypothesis draws the values: text with NUL bytes (PostgreSQL cannot store them), numbers
beyond the database's integer range, very long text and any Unicode. For each example a
fresh world is seeded (the one of tests/core/access_control/world.py) and the role walks
every (method, endpoint) of the URL map three ways: the URL's arguments replaced by
hostile values; one form field of a POST (and a hostile extra field) or every query
argument the app reads on a GET; and, for the API, a hostile bearer token. Each request
starts from valid data, so a hostile field is not hidden behind another field's error.

The suite runs again with DATABASE_URL set to PostgreSQL in CI, and so does this walk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

import pytest
from access_control.request_data import FORMS, OWN_CLIENT
from access_control.table import ROLES
from access_control.walk import build_url, signed_in_client, walk_order
from access_control.world import World, seed_world
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from academy.core.extensions import db

pytestmark = pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}], indirect=True)

# Every query argument a view reads (request.args and GET forms).
QUERY_ARGUMENTS = ("code", "next", "page", "q", "then")

DATABASE_INTEGER_MAX = 2**31 - 1
NUL_TEXT = st.builds("{}\x00{}".format, st.text(max_size=8), st.text(max_size=8))
OUT_OF_RANGE_NUMBERS = st.one_of(
    st.sampled_from([DATABASE_INTEGER_MAX + 1, 2**63, -1, 0]),
    st.integers(min_value=DATABASE_INTEGER_MAX + 1),
).map(str)
LONG_TEXT = st.builds(
    lambda part, times: part * times,
    st.text(min_size=1, max_size=4),
    st.integers(min_value=100, max_value=1_000),
)
HOSTILE = st.one_of(NUL_TEXT, OUT_OF_RANGE_NUMBERS, LONG_TEXT, st.text())


def _header_value(text: str) -> str:
    """A header carries bytes: the text's UTF-8, without the line breaks HTTP forbids."""
    return text.encode().decode("latin-1").replace("\r", "").replace("\n", "")


def _hostile_path(app: Flask, endpoint: str, draw: Callable) -> str:
    rule = next(app.url_map.iter_rules(endpoint))
    return re.sub(r"<[^>]+>", lambda _: quote(draw(HOSTILE), safe=""), rule.rule)


def _valid_form(key: tuple[str, str], w: World, role: str) -> dict:
    data = FORMS.get(key) or {}
    return dict(data(w, role) if callable(data) else data)


def hostile_requests(app: Flask, w: World, role: str, draw: Callable) -> list[dict]:
    """Keyword arguments for the test client's ``open``, several per route."""
    requests = []
    for key in walk_order(app):
        method, endpoint = key
        # without the static file's ?v=<hash>: the hostile query string stands in for it
        url = build_url(app, endpoint, w).split("?", 1)[0]
        form = _valid_form(key, w, role)
        headers = {}
        if endpoint.startswith("api.") and role in w.tokens:
            headers["Authorization"] = f"Bearer {w.tokens[role]}"
        base = {"method": method, "headers": headers, "key": key}
        if "<" in next(app.url_map.iter_rules(endpoint)).rule:
            requests.append(base | {"path": _hostile_path(app, endpoint, draw), "data": form})
        if method == "GET":
            query = {name: draw(HOSTILE) for name in QUERY_ARGUMENTS}
            requests.append(base | {"path": url, "query_string": query})
        else:
            field = draw(st.sampled_from(sorted(form) or ["field"]))
            hostile = form | {field: draw(HOSTILE), "answer-" + draw(HOSTILE): draw(HOSTILE)}
            requests.append(base | {"path": url, "data": hostile})
        if endpoint.startswith("api."):
            token = _header_value("Bearer " + draw(HOSTILE))
            requests.append(base | {"path": url, "headers": {"Authorization": token}})
    return requests


def _fresh_world() -> World:
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
    return seed_world()


def _describe(request: dict) -> str:
    shown = {name: request.get(name) for name in ("data", "query_string", "headers")}
    return f"{request['method']} {request['path'][:120]!r} {shown!r:.300}"


def walk_hostile(app: Flask, role: str, draw: Callable) -> list[str]:
    """Every route as ``role`` with hostile values; one line per 5xx."""
    w = _fresh_world()
    client = signed_in_client(app, role)
    problems = []
    for request in hostile_requests(app, w, role, draw):
        key = request.pop("key")
        by = signed_in_client(app, role) if key in OWN_CLIENT else client
        try:
            response = by.open(**request)
        except Exception as error:  # report it with the rest
            problems.append(f"{_describe(request)} as {role}: raised {error!r}")
            continue
        response.close()
        if response.status_code >= 500:
            problems.append(f"{_describe(request)} as {role}: {response.status_code}")
    return problems


@pytest.mark.parametrize("role", ROLES)
@settings(
    max_examples=2,
    deadline=None,
    # Each example replays a whole walk; the report names every failing request.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_hostile_values_never_cause_a_server_error(app, role, data):
    problems = walk_hostile(app, role, data.draw)
    assert not problems, f"{len(problems)} request(s) failed:\n" + "\n".join(problems)
