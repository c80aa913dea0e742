"""Per-connection settings that make SQLite safe for a multi-process web app."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers proceed during a write; the busy timeout makes writers wait
    # instead of failing; SQLite leaves foreign keys off unless asked.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite" and not event.contains(
        engine, "connect", _configure_sqlite_connection
    ):
        event.listen(engine, "connect", _configure_sqlite_connection)
