"""The SQLite database is readable by its owner only (0600), like ``secret_key``: it
holds everything about everyone (backups: test_backup_restore.py). Checked with the
usual umask 022, under which files are otherwise created 0644, readable by every account
on the server."""

from __future__ import annotations

import os
import stat

import pytest
import sqlalchemy as sa

from academy import create_app
from academy.core.extensions import db


@pytest.fixture(autouse=True)
def usual_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_sqlite_file_the_app_creates_is_owner_only(app_config, tmp_path):
    path = tmp_path / "new.sqlite3"
    app = create_app(app_config | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:  # a write: SQLite makes its -wal file
            connection.execute(sa.text("CREATE TABLE scratch (x INTEGER)"))
            assert mode(f"{path}-wal") == 0o600
        db.engine.dispose()
    assert mode(path) == 0o600


@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_academy_init_creates_an_owner_only_database(app_config, tmp_path, monkeypatch):
    # migrations/env.py applies alembic.ini's logging setup; keep pytest's.
    monkeypatch.setattr("logging.config.fileConfig", lambda *args, **kwargs: None)
    path = tmp_path / "instance-db.sqlite3"
    app = create_app(app_config | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()
    assert mode(path) == 0o600
