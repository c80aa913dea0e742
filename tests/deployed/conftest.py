"""The app as deployed (docs/deploy.md): `academy serve` under gunicorn with the production
settings, several workers, Redis, PostgreSQL, nginx with TLS in front.

These tests need services: Redis (``ACADEMY_TEST_REDIS_URL``; its database is flushed),
PostgreSQL (``ACADEMY_TEST_DEPLOY_DATABASE_URL``; its tables are dropped) and nginx. Without
them they are skipped, saying which is missing; with ``ACADEMY_REQUIRE_DEPLOYED=1`` (CI sets
it) a missing one is a failure instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from academy.core.config import PROJECT_ROOT
from tests.live_servers import ACADEMY, AppServer

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PASSWORD = "deployed-test-password"


def needs(what: str) -> None:
    """Skip, or fail under ACADEMY_REQUIRE_DEPLOYED=1, for want of ``what``."""
    message = f"the deployed-setup tests need {what}"
    if os.environ.get("ACADEMY_REQUIRE_DEPLOYED") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("ACADEMY_TEST_REDIS_URL")
    if not url:
        needs("Redis: set ACADEMY_TEST_REDIS_URL=redis://127.0.0.1:6379/1 (it is flushed)")
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()  # only the database the URL names
    client.close()
    return url


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get("ACADEMY_TEST_DEPLOY_DATABASE_URL")
    if not url:
        needs("PostgreSQL: set ACADEMY_TEST_DEPLOY_DATABASE_URL=postgresql+psycopg://… (emptied)")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def server_env(tmp_path) -> dict[str, str]:
    """What every app server of one installation shares (docs/deploy.md, section 5): the
    secret key, the signing keys, the content; each test adds its database and Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_"))}
    return env | {
        "SECRET_KEY": "deployed-tests-shared-secret-key",
        "ACADEMY_KEY_DIR": str(tmp_path / "keys"),
        "ACADEMY_INSTANCE_PATH": str(tmp_path / "instance"),
        "ACADEMY_CONTENT_DIR": str(PROJECT_ROOT / "content"),
        "ACADEMY_BASE_URL": "https://academy.test",
        "ACADEMY_PROXY_FIX": "1",
        "XDG_RUNTIME_DIR": str(tmp_path),  # the gunicorn control sockets
    }


def prepare_database(env: dict[str, str], *trainees: str) -> None:
    """`academy init`, then one account per name, made the way an operator makes them."""
    subprocess.run([str(ACADEMY), "init"], env=env, check=True, capture_output=True, timeout=120)
    for name in trainees:
        subprocess.run(
            [str(ACADEMY), "users", "create", name, "--role", "trainee"],
            input=f"{PASSWORD}\n{PASSWORD}\n",
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )


@pytest.fixture
def start_server(tmp_path):
    """Start `academy serve` processes; every one is stopped after the test."""
    servers: list[AppServer] = []

    def start(env: dict[str, str], workers: int) -> AppServer:
        server = AppServer(env, tmp_path / f"server-{len(servers) + 1}.log", workers)
        servers.append(server)
        server.wait_ready()
        return server

    yield start
    for server in servers:
        server.stop()


def pytest_collection_modifyitems(items):
    # (under pytest-xdist these tests run on one worker together: tests/parallel.py)
    for item in items:
        if "tests/deployed/" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))


def nginx_or_skip() -> str:
    if not Path(NGINX).exists():
        needs("nginx: apt-get install nginx-light")
    return NGINX
