"""App-wide behaviour: security headers, error pages, JSON errors and CSRF protection."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from academy.core.errors import MESSAGES
from academy.core.extensions import db
from academy.modules.progress.models import LessonProgress
from academy.modules.quizzes.models import QuizAttempt
from tests.conftest import PASSWORD, csrf_token_from

CSRF_ON = pytest.mark.parametrize(
    "app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True, ids=["csrf"]
)
CSRF_REFUSED = "This form had expired or was sent twice. Nothing was saved"
SECRET_DETAIL = "password=hunter2 in /srv/academy/secret.py"


def is_signed_in(client) -> bool:
    return client.get("/modules").status_code == 200


# --- security headers ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/sign-in", "/verify", "/no-such-page"])
def test_pages_carry_the_security_headers(client, path):
    headers = client.get(path).headers

    csp = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cache-Control"] == "no-store"


def test_json_answers_carry_the_security_headers_too(client):
    headers = client.get("/api/v1/certificates/ABCD-EFGH-JKMN-PQRS-TVWX").headers

    assert headers["Content-Type"] == "application/json"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers

    secure = client.get("/sign-in", base_url="https://academy.example")

    assert secure.headers["Strict-Transport-Security"].startswith("max-age=63072000")


# --- error pages --------------------------------------------------------------------------


@pytest.fixture
def failing_routes(app):
    """Routes that fail as an unexpected bug would; added before the first request."""

    def crash():
        raise RuntimeError(SECRET_DETAIL)

    app.add_url_rule("/crash", "crash", crash)
    app.add_url_rule("/api/v1/crash", "api_crash", crash)


def assert_friendly_page(response, status: int, heading: str) -> None:
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert f"<h1>{heading}</h1>" in response.text
    assert f"<p>{MESSAGES[status]}</p>" in response.text
    assert 'href="/">Go to the start page</a>' in response.text
    for leak in ("Traceback", 'File "', "werkzeug", "Exception"):
        assert leak not in response.text


def test_an_unknown_page_gets_a_friendly_404(client):
    assert_friendly_page(client.get("/no-such-page"), 404, "Page not found")


def test_a_wrong_method_gets_a_friendly_405(client):
    assert_friendly_page(client.get("/sign-out"), 405, "That did not work")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/sign-out", {"POST", "OPTIONS"}),
        ("POST", "/verify", {"GET", "HEAD", "OPTIONS"}),
        ("DELETE", "/api/v1/certificates/ABCD-EFGH-JKMN-PQRS-TVWX", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_a_405_names_the_allowed_methods(client, method, path, allowed):
    """RFC 9110 requires ``Allow`` on a 405; the error page must not drop it."""
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allowed


def test_a_crash_gets_a_friendly_500_without_traceback_or_details(client, failing_routes, caplog):
    with caplog.at_level(logging.ERROR, logger="academy.errors"):
        response = client.get("/crash")

    assert_friendly_page(response, 500, "Something went wrong")
    assert "Nothing you entered has been lost" in response.text
    assert "RuntimeError" not in response.text
    assert "hunter2" not in response.text
    # the log names the error type and route, not the message (it may hold personal data)
    assert "unhandled RuntimeError on GET /crash" in caplog.text
    assert "hunter2" not in caplog.text


def test_errors_under_api_are_json(client, failing_routes):
    crash = client.get("/api/v1/crash")
    missing = client.get("/api/v1/no-such-endpoint")
    wrong_method = client.post("/api/v1/certificates/ABCD-EFGH-JKMN-PQRS-TVWX")

    assert crash.status_code == 500
    assert crash.get_json() == {"error": MESSAGES[500], "status": 500}
    assert "hunter2" not in crash.text
    assert missing.status_code == 404
    assert missing.get_json()["status"] == 404
    assert missing.get_json()["error"]
    assert wrong_method.status_code == 405
    assert wrong_method.get_json() == {"error": MESSAGES[405], "status": 405}
    for response in (crash, missing, wrong_method):
        assert response.mimetype == "application/json"


def test_errors_outside_api_are_never_json(client):
    response = client.get("/apiary")

    assert response.mimetype == "text/html"


# --- CSRF ---------------------------------------------------------------------------------


def assert_refused(response) -> None:
    assert response.status_code == 400
    assert CSRF_REFUSED in response.text


@CSRF_ON
def test_sign_in_needs_the_token_of_the_page(client, auth, trainee):
    refused = client.post("/sign-in", data={"username": "trainee-one", "password": PASSWORD})

    assert_refused(refused)
    assert not is_signed_in(client)

    assert auth.sign_in(trainee).status_code == 302
    assert is_signed_in(client)


@CSRF_ON
def test_a_token_from_another_browser_is_refused(app, client, trainee):
    token = csrf_token_from(app.test_client().get("/sign-in").text)

    response = client.post(
        "/sign-in", data={"username": "trainee-one", "password": PASSWORD, "csrf_token": token}
    )

    assert_refused(response)
    assert not is_signed_in(client)


@CSRF_ON
def test_sign_out_needs_the_token_of_the_page(client, auth, trainee):
    assert auth.sign_in(trainee).status_code == 302

    assert_refused(client.post("/sign-out"))
    assert is_signed_in(client)

    token = csrf_token_from(client.get("/modules").text)
    response = client.post("/sign-out", data={"csrf_token": token})
    assert response.location == "/sign-in"
    assert not is_signed_in(client)


def lesson_rows() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(LessonProgress))


@CSRF_ON
def test_marking_a_lesson_studied_needs_the_token_of_the_page(client, auth, trainee):
    assert auth.sign_in(trainee).status_code == 302
    lesson = "/modules/basics/lessons/first-steps"

    assert_refused(client.post(f"{lesson}/studied"))
    assert lesson_rows() == 0

    token = csrf_token_from(client.get(lesson).text)
    response = client.post(f"{lesson}/studied", data={"csrf_token": token})
    assert response.location == "/modules/basics/lessons/next-steps"
    assert lesson_rows() == 1


@CSRF_ON
def test_sending_a_quiz_needs_the_token_of_the_page(client, auth, trainee):
    assert auth.sign_in(trainee).status_code == 302
    page = client.get("/modules/basics/quiz").text
    attempt_id = int(re.search(r'action="/quiz/attempts/(\d+)"', page).group(1))
    answers = {"answer-q-sky": "1", "answer-q-fruit": ["1", "3"], "answer-q-cat": "2"}

    # refused, not graded: the sheet comes back with the answers and a fresh token
    refused = client.post(f"/quiz/attempts/{attempt_id}", data=answers)
    assert refused.status_code == 400 and "Your answers were not sent yet" in refused.text
    assert_refused(
        client.post(
            f"/quiz/attempts/{attempt_id}", data=answers, headers={"Sec-Fetch-Site": "cross-site"}
        )
    )
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt_id).submitted_at is None

    response = client.post(
        f"/quiz/attempts/{attempt_id}", data=answers | {"csrf_token": csrf_token_from(page)}
    )
    assert response.location == f"/quiz/attempts/{attempt_id}"
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt_id).score == 100
