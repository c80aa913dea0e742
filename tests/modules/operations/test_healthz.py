"""/healthz tells a load balancer whether this server can work, and nothing else."""

from __future__ import annotations

import json

import pytest

from academy import create_app
from academy.core.catalogue import EXTENSION_KEY
from academy.core.content.model import Catalogue
from academy.modules.accounts.models import Role


def test_healthy_reports_database_schema_and_content(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    # tests build the schema with create_all, so there is no migration record
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "schema": "unknown",
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
    assert "missing-folder" not in response.get_data(as_text=True)


def test_no_content_is_503(app, client):
    app.extensions[EXTENSION_KEY] = Catalogue()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["content"] == {"modules": 0, "errors": 0}


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
    assert app.test_client().get("/healthz").get_json()["schema"] == "current"
