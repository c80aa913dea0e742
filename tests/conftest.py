"""Test app, database and helpers shared by every test.

Set DATABASE_URL to run the whole suite against PostgreSQL; the default is an
in-memory SQLite database, created fresh for every test.

Three rules hold for every test (docs/testing.md):

* Each request runs in its own application context and database session
  (``IsolatedClient``), as on a server, so a view that forgets to commit fails its test.
* The developer's shell does not reach the app: settings the app reads from the
  environment are removed for the session (``clean_environment``).
* Nothing is written into the checkout: the default instance folder is a temporary one.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event
from sqlalchemy.engine import Engine

from academy import create_app
from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import Role, User
from tests.worker_databases import use_a_database_of_this_workers_own

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
PASSWORD = "correct horse battery"


def build_config(tmp_path: Path, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", "sqlite://"),
        "ACADEMY_CONTENT_DIR": str(FIXTURE_CONTENT),
        "ACADEMY_INSTANCE_PATH": str(tmp_path / "instance"),
        "WTF_CSRF_ENABLED": False,
        # cheap hashing keeps the suite fast; production parameters are tested separately
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
    }
    config.update(overrides)
    return config


# The variables a test run takes from the shell: where the test database is, and the
# switches and addresses that steer the tests themselves (ACADEMY_TEST_PORTS,
# ACADEMY_TEST_REDIS_URL, ACADEMY_REQUIRE_BROWSER, ...). Every other setting the app reads
# from the environment (ACADEMY_*, SECRET_KEY, REDIS_URL, FLASK_*) is removed.
KEPT_VARIABLES = ("DATABASE_URL",)
KEPT_PREFIXES = ("ACADEMY_TEST_", "ACADEMY_REQUIRE_")
APP_PREFIXES = ("ACADEMY_", "FLASK_")
APP_VARIABLES = ("SECRET_KEY", "REDIS_URL")


def is_app_setting(name: str) -> bool:
    if name in KEPT_VARIABLES or name.startswith(KEPT_PREFIXES):
        return False
    return name in APP_VARIABLES or name.startswith(APP_PREFIXES)


@pytest.fixture(scope="session", autouse=True)
def clean_environment(tmp_path_factory) -> Iterator[None]:
    """The suite passes whatever the developer's shell exports (``make run`` habits like
    ACADEMY_SECURE_COOKIES=0, or ACADEMY_OPEN_REGISTRATION=1), and an app made from the
    environment keeps its instance folder, secret key included, out of the checkout.
    Subprocesses (``academy`` commands, servers) inherit this environment."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if is_app_setting(name)]:
            patch.delenv(name)
        patch.setenv("ACADEMY_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))
        yield


def pytest_configure(config: pytest.Config) -> None:
    use_a_database_of_this_workers_own()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``-n`` alone (xdist's default, ``--dist load``): tests/parallel.py's scheduling."""
    if config.getvalue("dist") != "load":
        return None
    from tests.parallel import SharedServicesScheduling

    return SharedServicesScheduling(config, log)


CHECKOUT = Path(__file__).resolve().parents[1]
# What a test run may leave in the checkout: the caches of its tools.
checkout_before = pytest.StashKey[dict[str, int]]()
ALLOWED_LEFTOVERS = {".git", ".venv", ".pytest_cache", ".hypothesis", ".ruff_cache", "__pycache__"}


def files_in_checkout() -> dict[str, int]:
    """Every file in the checkout but the allowed caches: path -> modification time."""
    found = {}
    for folder, subfolders, files in os.walk(CHECKOUT):
        subfolders[:] = [name for name in subfolders if name not in ALLOWED_LEFTOVERS]
        for name in files:
            path = Path(folder) / name
            with contextlib.suppress(FileNotFoundError):  # gone while we looked
                found[path.relative_to(CHECKOUT).as_posix()] = path.stat().st_mtime_ns
    return found


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[checkout_before] = files_in_checkout()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The run fails if it wrote into the checkout (a secret key, a database, a cache in
    instance/): tests write under their tmp_path only."""
    before = session.config.stash.get(checkout_before, None)
    if before is None:
        return
    after = files_in_checkout()
    written = sorted(
        path
        for path, mtime in after.items()
        if path not in before or (path.startswith("instance/") and before[path] != mtime)
    )
    if written:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"the tests wrote into the checkout: {', '.join(written)}", red=True
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


class IsolatedClient(FlaskClient):
    """A test client whose requests each get a new application context and session.

    The ``app`` fixture keeps an application context pushed for the whole test, and
    Flask's test client reuses a pushed context of the same app, so otherwise every
    request of every client would share one ``g`` and one database session: Flask-Login's
    cached user would leak from one client to the next, Flask-WTF's cached CSRF token
    would outlive ``session.clear()``, and a view that forgot to commit would look fine.
    """

    def __enter__(self) -> IsolatedClient:  # nothing to preserve between requests
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class IsolatedCliRunner(FlaskCliRunner):
    """A CLI runner whose commands each get a new application context and session, as
    the ``academy`` command does: otherwise a command would reuse the test's context,
    and a command that forgot to commit would look fine too."""

    def invoke(self, *args, **kwargs):
        return contextvars.Context().run(super().invoke, *args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def isolated_requests() -> Iterator[None]:
    """Every test client and CLI runner of every app a test makes is isolated."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "test_client_class", IsolatedClient)
        patch.setattr(Flask, "test_cli_runner_class", IsolatedCliRunner)
        yield


@pytest.fixture(autouse=True)
def close_engines() -> Iterator[None]:
    """Every engine a test opens is closed after it, so PostgreSQL runs do not end with
    "connection deleted while still open" warnings, which are errors here. The ``app``
    fixture names this one, so it is torn down after the app (pytest-flask's own autouse
    fixtures ask for the app before this autouse fixture would come)."""
    engines: set[Engine] = set()

    def remember(connection) -> None:
        engines.add(connection.engine)

    event.listen(Engine, "engine_connect", remember)
    yield
    event.remove(Engine, "engine_connect", remember)
    for engine in engines:
        engine.dispose()


@pytest.fixture
def app_config(request, tmp_path) -> dict:
    """Override in a test module to change the app's configuration; or pass settings by
    indirect parametrisation: ``parametrize("app_config", [{...}], indirect=True)``."""
    return build_config(tmp_path, **getattr(request, "param", {}))


@pytest.fixture
def app(app_config, close_engines):
    app = create_app(app_config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        stamp_migration_head()
        yield app
        db.session.remove()
        db.drop_all()
        # Close pooled connections now, not when the garbage collector finds them
        # (psycopg warns about connections deleted while open, and warnings are errors).
        db.engine.dispose()
    clock.reset()


def stamp_migration_head() -> None:
    """Record the schema made by create_all as the newest migration, as `academy init`
    leaves it (/healthz reports a database without that record as unusable)."""
    from sqlalchemy import text

    from academy.modules.operations.services import migration_revisions

    with db.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE IF NOT EXISTS alembic_version "
                "(version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
            )
        )
        connection.execute(text("DELETE FROM alembic_version"))
        for head in migration_revisions().heads:
            connection.execute(text("INSERT INTO alembic_version VALUES (:head)"), {"head": head})


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(
        role: Role = Role.TRAINEE, username: str | None = None, display_name: str | None = None
    ) -> User:
        name = username or f"{role.value}-{next(counter)}"
        user = accounts.create_user(name, PASSWORD, role, display_name)
        db.session.commit()
        return user

    return make


@pytest.fixture
def trainee(make_user) -> User:
    return make_user(Role.TRAINEE, "trainee-one", "Ayo")


class AuthActions:
    def __init__(self, client) -> None:
        self.client = client

    def sign_in(self, user: User, password: str = PASSWORD):
        """Posts the sign-in form; with CSRF switched on, with the sign-in page's token, as
        a browser does."""
        data = {"username": user.username, "password": password}
        if self.client.application.config["WTF_CSRF_ENABLED"]:
            data["csrf_token"] = csrf_token_from(self.client.get("/sign-in").text)
        return self.client.post("/sign-in", data=data)

    def sign_out(self):
        return self.client.post("/sign-out")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session, shared by tests/browser/ and tests/deployed/: Playwright's
    sync API allows one running instance per process."""
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
