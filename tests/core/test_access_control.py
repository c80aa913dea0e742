"""Who may use which route: every (method, endpoint) in ``app.url_map``, for every role,
against one table (``EXPECTED``).

For each role a fresh world is seeded and the role walks every route with a client
signed in through ``/sign-in``; every outcome is compared with the table and all
mismatches are reported together. A route without an entry (or an entry without a route)
fails ``test_every_route_has_an_entry``, so no new page ships without a decision about
who may use it. The rules are written up in docs/security.md, "Who may see what".

Roles: ``anonymous``; ``owner`` (trainee A: a certificate, an open and a submitted quiz
attempt, shares with centre A); ``other_trainee`` (trainee B); ``trainer``;
``coordinator`` (of centre A, the owner's centre: the positive cases);
``other_coordinator`` (of centre B, with which the owner shares nothing); ``admin``.

CSRF is off in the test configuration (it is tested in tests/modules/accounts), and so
are the rate limits: this walk signs in far more often than a person would.

The table is in ``access_control/table.py``, the seeded world in ``access_control/world.py``,
what each request needs in ``access_control/request_data.py`` and the walk in
``access_control/walk.py``.
"""

from __future__ import annotations

import pytest
from access_control.request_data import FORMS, LAST, OWN_CLIENT, URL_ARGS
from access_control.table import EXPECTED, ROLES
from access_control.walk import build_url, route_keys, signed_in_client, walk
from access_control.world import World, seed_world

pytestmark = pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}], indirect=True)


@pytest.fixture
def world(app) -> World:
    return seed_world()


def test_every_route_has_an_entry(app):
    """A new route needs a row in EXPECTED (and URL arguments if it has any); a removed
    route must lose its row."""
    keys = route_keys(app)
    problems = [f"{m} {e}: no entry in EXPECTED" for m, e in keys if (m, e) not in EXPECTED]
    problems += [
        f"{m} {e}: in EXPECTED, but no such route" for m, e in EXPECTED if (m, e) not in keys
    ]
    endpoints = {endpoint for _, endpoint in keys}
    for rule in app.url_map.iter_rules():
        if rule.arguments and rule.endpoint not in URL_ARGS:
            problems.append(f"{rule.rule} ({rule.endpoint}): no entry in URL_ARGS")
    problems += [f"{e}: in URL_ARGS, but no such route" for e in URL_ARGS if e not in endpoints]
    problems += [
        f"{m} {e}: in {name}, but no such route"
        for name, table in (("FORMS", FORMS), ("LAST", LAST), ("OWN_CLIENT", OWN_CLIENT))
        for m, e in table
        if (m, e) not in keys
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(app, world, role):
    mismatches = walk(app, world, role)
    assert not mismatches, f"{len(mismatches)} route(s) answer {role} wrongly:\n" + "\n".join(
        mismatches
    )


def test_a_session_cookie_does_not_open_the_centre_api(app, world):
    """Signed in as the coordinator, but without the token: the API still wants one."""
    client = signed_in_client(app, "coordinator")
    for endpoint in ("api.centre_peers", "api.centre_peer"):
        response = client.get(build_url(app, endpoint, world))
        assert response.status_code == 401, endpoint
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
