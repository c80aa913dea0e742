"""/healthz tells a load balancer whether this server can work, and nothing else."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from academy import create_app
from academy.core.catalogue import EXTENSION_KEY
from academy.core.content.model import Catalogue
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.operations import services


def test_healthy_reports_database_schema_and_content(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    # tests build the schema with create_all and record the newest migration (conftest)
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "schema": "current",
        "content": {"modules": 2, "errors": 0},
    }


def test_no_personal_data_and_no_sign_in_needed(app, client, make_user, auth):
    """Whoever asks, signed in or not, gets the same few fields: no names, no counts of
    people, no versions or addresses that would help an attacker."""
    user = make_user(Role.TRAINEE, "ayo.personal", "Ayo Personal")
    anonymous = client.get("/healthz").get_data(as_text=True)
    auth.sign_in(user)
    signed_in = client.get("/healthz").get_data(as_text=True)
    assert json.loads(anonymous) == json.loads(signed_in)
    for secret in ("ayo", "Personal", "sqlite", "postgresql", "password", "users", str(user.id)):
        assert secret.lower() not in anonymous.lower()
    assert set(json.loads(anonymous)) == {"status", "database", "schema", "content"}


def test_unreachable_database_is_503(app_config, tmp_path):
    app = create_app(
        app_config
        | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing-folder' / 'x.sqlite3'}"}
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert response.get_json()["database"] == "unavailable"
    assert response.get_json()["reason"] == "the database does not answer"
    assert "missing-folder" not in response.get_data(as_text=True)


def test_an_empty_database_file_is_503(app_config, tmp_path):
    """Every page fails on a database without tables; so must the health check."""
    path = tmp_path / "empty.sqlite3"
    path.touch()
    app = create_app(app_config | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "ok",
        "schema": "missing",
        "content": {"modules": 2, "errors": 0},
        "reason": "the database has no schema: run academy init",
    }


def test_tables_without_a_migration_record_are_503(app, client):
    db.session.execute(sa.text("DELETE FROM alembic_version"))
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["schema"] == "missing"


def test_an_older_schema_is_503_and_a_newer_one_serves(app, client):
    older = sorted(services.migration_revisions().known - services.migration_revisions().heads)
    assert older, "the migrations folder has more than one revision"
    db.session.execute(sa.text("UPDATE alembic_version SET version_num = :r"), {"r": older[0]})
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["schema"] == "outdated"
    assert response.get_json()["reason"] == (
        "the database schema is older than this release: run academy db upgrade"
    )
    # The next release migrated the database; this one keeps serving while servers switch.
    db.session.execute(sa.text("UPDATE alembic_version SET version_num = 'f00dfeedbeef'"))
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["schema"] == "newer"


def test_a_table_pages_need_that_cannot_be_read_is_503(app, client):
    """The real query: a schema record is not enough when the tables are gone."""
    db.session.execute(sa.text("ALTER TABLE users RENAME TO users_gone"))
    db.session.commit()
    try:
        response = client.get("/healthz")
    finally:
        db.session.rollback()
        db.session.execute(sa.text("ALTER TABLE users_gone RENAME TO users"))
        db.session.commit()
    assert response.status_code == 503
    assert response.get_json()["reason"] == "the database does not answer"


def test_no_content_is_503(app, client):
    app.extensions[EXTENSION_KEY] = Catalogue()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["content"] == {"modules": 0, "errors": 0}
    assert response.get_json()["reason"] == "no course content is loaded"


@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_schema_is_current_after_migrations(app_config, tmp_path, monkeypatch):
    from flask_migrate import upgrade

    # migrations/env.py applies alembic.ini's logging setup, which would disable the
    # loggers of the rest of the run; keep pytest's.
    monkeypatch.setattr("logging.config.fileConfig", lambda *args, **kwargs: None)
    app = create_app(
        app_config | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrated.sqlite3'}"}
    )
    with app.app_context():
        upgrade()
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert response.get_json()["schema"] == "current"
