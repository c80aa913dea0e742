"""Every new SQLite connection is set up for a multi-process web app."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from academy import create_app
from academy.core.extensions import db


@pytest.fixture
def file_app(app_config, tmp_path):
    app = create_app(
        app_config | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"}
    )
    with app.app_context():
        yield app
        db.engine.dispose()


def pragmas(connection) -> dict[str, object]:
    return {
        name: connection.execute(text(f"PRAGMA {name}")).scalar()
        for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
    }


def test_each_new_connection_has_wal_busy_timeout_and_foreign_keys(file_app):
    first = db.engine.connect()
    second = db.engine.connect()  # a second, simultaneous connection: a new one
    try:
        for connection in (first, second):
            settings = pragmas(connection)
            assert settings["journal_mode"] == "wal"  # readers never wait for a writer
            assert settings["busy_timeout"] >= 1000  # a writer waits instead of failing
            assert settings["foreign_keys"] == 1  # SQLite leaves them off otherwise
            assert settings["synchronous"] == 1  # NORMAL: safe with WAL, no fsync per commit
    finally:
        first.close()
        second.close()


def test_connections_made_after_a_dispose_are_set_up_too(file_app):
    """gunicorn's workers dispose of the pool after the fork and connect anew."""
    db.engine.dispose()
    with db.engine.connect() as connection:
        assert pragmas(connection)["foreign_keys"] == 1
        assert pragmas(connection)["journal_mode"] == "wal"


def test_a_savepoint_before_any_write_does_not_commit_the_request_early(file_app):
    """A view's service may open a savepoint before it has written anything (creating a
    row that a simultaneous request may create too). Releasing it must not commit: the
    view's one commit decides, and a request that fails is rolled back whole."""
    db.create_all()
    db.session.execute(text("CREATE TABLE notes (body TEXT)"))
    db.session.commit()

    db.session.execute(text("SELECT count(*) FROM notes"))  # a read first, as views do
    with db.session.begin_nested():
        db.session.execute(text("INSERT INTO notes VALUES ('written in a savepoint')"))
    db.session.rollback()  # the request fails after the savepoint

    assert db.session.execute(text("SELECT count(*) FROM notes")).scalar() == 0
