"""Pooled PostgreSQL connections: a connection cut while idle is replaced unnoticed."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool

from academy.core import database
from academy.core.extensions import db


@pytest.fixture
def postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite connections are file handles; nothing cuts them")
    return db.engine


def backend_pid() -> int:
    return db.session.scalar(text("SELECT pg_backend_pid()"))


def test_a_connection_cut_while_idle_is_replaced_before_a_request_uses_it(postgresql, monkeypatch):
    first = backend_pid()
    db.session.remove()  # back to the pool
    outside = create_engine(postgresql.url, poolclass=NullPool)
    with outside.connect() as other:  # the database cuts the idle connection
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0.0)

    assert db.session.scalar(text("SELECT 1")) == 1  # no error for the request
    assert backend_pid() != first


def test_a_connection_in_steady_use_is_not_pinged(postgresql):
    db.session.remove()
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(postgresql, "before_cursor_execute", record)
    try:
        db.session.scalar(text("SELECT 2"))
    finally:
        event.remove(postgresql, "before_cursor_execute", record)
    assert statements == ["SELECT 2"]
