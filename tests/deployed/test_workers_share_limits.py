"""Rate limits hold however many gunicorn workers serve: with REDIS_URL the counters are
shared, so exactly the configured number of sign-ins gets through before the 429.

Without it each worker counted alone: with 1, 2 and 4 workers, 10, 20 and 40 sign-ins a
minute got through (now `academy serve` refuses that, tests/modules/operations/test_serve.py).
"""

from __future__ import annotations

import pytest

from tests.deployed.conftest import PASSWORD, prepare_database
from tests.deployed.proxied_client import ProxiedClient

LIMIT = 6


@pytest.mark.parametrize("workers", [2, 4])
def test_sign_in_limit_holds_across_workers(tmp_path, server_env, redis_url, start_server, workers):
    env = server_env | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'academy.sqlite3'}",
        "REDIS_URL": redis_url,
        "ACADEMY_LIMIT_SIGN_IN": f"{LIMIT} per minute",
    }
    prepare_database(env, "peer-limits", "peer-other")
    server = start_server(env, workers)

    # A fresh connection per request: gunicorn's workers take turns accepting them.
    statuses = []
    for _ in range(LIMIT + 4):
        client = ProxiedClient("198.51.100.20")
        statuses.append(client.sign_in(server, "peer-limits", "a wrong password"))
    assert statuses == [400] * LIMIT + [429] * 4

    # Another client address has its own budget (peer-limits is locked out by now).
    assert ProxiedClient("198.51.100.21").sign_in(server, "peer-other", PASSWORD) == 302
