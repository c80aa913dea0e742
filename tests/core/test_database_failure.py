"""A database that goes away mid-request (PostgreSQL restarting, failing over) gets the
app's own 503 page with its headers, the session rolled back, and a log that names the
route rule only: never the path or query, which hold certificate codes."""

from __future__ import annotations

import logging
import socket

import pytest
import sqlalchemy as sa
from flask import g

from academy import create_app
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from tests.core.test_logs_have_no_personal_data import everything_logged

CODE = "ABCD-EFGH-JKMN-PQRS-TVWX"


def closed_port() -> int:
    """A port nobody listens on: connecting is refused at once, like a database that is
    restarting."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def down_app(app_config):
    app = create_app(
        app_config
        | {"SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://u@127.0.0.1:{closed_port()}/x"}
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def assert_app_headers(response) -> None:
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", [f"/verify?code={CODE}", "/modules/basics", "/account"])
def test_an_unreachable_database_gets_the_503_page(down_app, client, auth, make_user, path, caplog):
    """Signed in (with a working database, the same secret key), then the database is
    gone: the user loader fails first, and the error page must not ask again."""
    auth.sign_in(make_user(Role.TRAINEE, "down-trainee", "Down Trainee"))
    cookie = client.get_cookie(down_app.config["SESSION_COOKIE_NAME"])
    client = down_app.test_client()
    client.set_cookie(cookie.key, cookie.value)
    caplog.set_level(logging.DEBUG)

    response = client.get(path)

    assert response.status_code == 503
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "The service is not available for a moment" in page
    assert "Down Trainee" not in page  # shown as to a visitor
    assert 'href="/leave"' in page or "Leave this page" in page  # the app's layout
    assert_app_headers(response)
    assert response.headers["Cache-Control"] == "no-store"
    logged = everything_logged(caplog)
    assert "database unavailable (OperationalError)" in logged
    assert CODE not in logged and "Traceback" not in logged and "?code" not in logged


def test_the_api_answers_503_in_json(down_app, caplog):
    caplog.set_level(logging.DEBUG)
    response = down_app.test_client().get(f"/api/v1/certificates/{CODE}")
    assert response.status_code == 503
    assert response.get_json()["status"] == 503
    assert_app_headers(response)
    logged = everything_logged(caplog)
    assert "/api/v1/certificates/<code>" in logged and CODE not in logged


def test_a_failing_error_handler_logs_the_rule_not_the_path(app, client, caplog):
    """Flask's own log_exception ("Exception on <path> [GET]", traceback) runs when an
    error page cannot be made; the app's replaces it."""

    @app.after_request
    def broken(response):
        if response.status_code != 500:
            raise RuntimeError(f"broken for {CODE}")
        return response

    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, not as under tests
    caplog.set_level(logging.DEBUG)
    response = client.get(f"/verify/{CODE}")
    assert response.status_code == 500
    logged = everything_logged(caplog)
    assert "unhandled RuntimeError on GET /verify/<code>" in logged
    assert CODE not in logged and "Exception on" not in logged


def test_a_connection_cut_mid_request_gets_503_then_the_pool_recovers(app, client, make_user, auth):
    """PostgreSQL only: the request's connection is terminated between two queries, as a
    server restart does."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite connections are file handles; nothing cuts them")

    def cut_then_query():
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        outside = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
        with outside.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        outside.dispose()
        return str(db.session.scalar(sa.text("SELECT 1")))

    app.add_url_rule("/cut-for-test", view_func=cut_then_query)
    user = make_user(Role.TRAINEE, "cut-trainee", "Cut Trainee")
    assert auth.sign_in(user).status_code == 302
    assert client.get("/account").status_code == 200
    response = client.get("/cut-for-test")
    # Every request of a real server has an app context (and ``g``) of its own; the app
    # fixture keeps one open, whose ``g`` would carry the error page's visitor along.
    g.pop("_login_user", None)

    assert response.status_code == 503
    assert_app_headers(response)
    assert response.headers["Cache-Control"] == "no-store"
    # The next request gets a fresh connection; the person is still signed in.
    account = client.get("/account")
    assert account.status_code == 200, account.headers.get("Location")
    assert "Cut Trainee" in account.get_data(as_text=True)
