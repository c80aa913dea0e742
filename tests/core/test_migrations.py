"""The migrations build exactly the schema the models describe.

Runs on a fresh SQLite file, and also on PostgreSQL when DATABASE_URL points there
(every table in that database is dropped before and after).
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from flask_migrate import downgrade, upgrade

from academy import create_app
from academy.core.extensions import db
from tests.conftest import build_config

DATABASE_URL = os.environ.get("DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if DATABASE_URL.startswith("postgresql") else [])

# migrations/env.py is Flask-Migrate's template: it tries Flask-SQLAlchemy's deprecated
# get_engine() first and falls back to db.engine (which keeps working after 3.2).
pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")


def drop_every_table(engine: sa.Engine) -> None:
    """Everything, alembic_version included, whatever the models say."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path, monkeypatch):
    """An app bound to a database without any table."""
    # migrations/env.py applies alembic.ini's logging setup, which would disable every
    # logger created so far (for the rest of the test run); keep pytest's logging.
    monkeypatch.setattr("logging.config.fileConfig", lambda *args, **kwargs: None)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'academy.sqlite3'}"
    else:
        url = DATABASE_URL
    app = create_app(build_config(tmp_path, SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        drop_every_table(db.engine)
        yield app
        db.session.remove()
        drop_every_table(db.engine)
        db.engine.dispose()


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def test_upgrade_creates_every_table_of_the_models(empty_database):
    assert table_names() == set()

    upgrade()

    assert table_names() == set(db.metadata.tables) | {"alembic_version"}
    for table in ("users", "lesson_progress", "module_progress", "quiz_attempts", "certificates"):
        assert table in table_names()


def test_autogenerate_finds_no_difference_between_models_and_migrations(empty_database):
    upgrade()

    # the options `flask db migrate` runs with (Alembic compares column types by default)
    options = {"compare_type": True} | current_app.extensions["migrate"].configure_args
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        differences = compare_metadata(context, db.metadata)

    assert differences == []


def test_upgraded_database_accepts_what_the_models_write(empty_database):
    from academy.modules.accounts import services as accounts

    upgrade()
    accounts.create_user("migrated-user", "a long enough password")
    db.session.commit()

    assert accounts.authenticate("migrated-user", "a long enough password") is not None


def test_downgrade_to_base_removes_every_table(empty_database):
    upgrade()

    downgrade(revision="base")

    assert table_names() <= {"alembic_version"}


def test_the_upgrade_to_one_open_attempt_keeps_the_newest_open_and_every_sent_attempt(
    empty_database,
):
    """Databases made before the unique index may hold several open attempts of one
    quiz (simultaneous opens); the upgrade keeps the newest, the one that was shown."""
    upgrade(revision="3ed32478a2d1")
    # Written as SQL: the model has columns later migrations add.
    db.session.execute(
        sa.text(
            "INSERT INTO users (username, display_name, password_hash, role, session_nonce,"
            " created_at, last_active_at, failed_sign_ins)"
            " VALUES ('two-tabs', 'Two Tabs', 'x', 'trainee', 'n', :now, :now, 0)"
        ),
        {"now": datetime(2026, 11, 30, 12, 0)},
    )
    user_id = db.session.execute(sa.text("SELECT id FROM users")).scalar_one()
    db.session.commit()
    insert = sa.text(
        "INSERT INTO quiz_attempts (user_id, module_slug, module_version, question_ids,"
        " started_at, submitted_at) VALUES (:user, :slug, '1.0', '[]', :now, :sent)"
    )
    now = datetime(2026, 11, 30, 12, 0)
    rows = [("basics", None), ("basics", now), ("basics", None), ("basics", None), ("other", None)]
    for slug, sent in rows:
        db.session.execute(insert, {"user": user_id, "slug": slug, "now": now, "sent": sent})
    db.session.commit()

    upgrade()

    kept = db.session.execute(
        sa.text("SELECT id, module_slug, submitted_at FROM quiz_attempts ORDER BY id")
    ).all()
    assert [(row.id, row.module_slug, row.submitted_at is None) for row in kept] == [
        (2, "basics", False),
        (4, "basics", True),
        (5, "other", True),
    ]
