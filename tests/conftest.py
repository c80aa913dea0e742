"""Test app, database and helpers shared by every test.

Set DATABASE_URL to run the whole suite against PostgreSQL; the default is an
in-memory SQLite database, created fresh for every test.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from academy import create_app
from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import Role, User

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


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Override in a test module to change the app's configuration."""
    return build_config(tmp_path)


@pytest.fixture
def app(app_config):
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
        return self.client.post("/sign-in", data={"username": user.username, "password": password})

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
