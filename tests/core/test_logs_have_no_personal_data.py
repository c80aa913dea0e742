"""Log output carries no personal data, even at DEBUG.

The whole journey of a person runs with every logger at DEBUG: registering from an
invitation, signing in (also with a wrong password), studying, taking a quiz, verifying
a certificate code on the page and through the API, downloading one's data. No log record
may contain the sign-in name, display name, e-mail address, password, invitation token or
certificate code.
"""

from __future__ import annotations

import logging

import pytest

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts import invitations, sign_in_names
from academy.modules.accounts.models import Role
from academy.modules.certificates import services as certificates
from academy.modules.certificates.codes import format_code
from tests.conftest import build_config

USERNAME = "quiet-heron-7"
DISPLAY_NAME = "Morning Lark"
EMAIL = "lark-unique@example.org"
PASSWORD = "violet tram under rain"


@pytest.fixture
def app_config(tmp_path) -> dict:
    return build_config(tmp_path, RATELIMIT_ENABLED=False)


def everything_logged(caplog) -> str:
    """Messages, formatted, and every argument and extra field of every record."""
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        parts.append(repr(record.__dict__))
    return "\n".join(parts) + caplog.text


def test_a_whole_journey_logs_nothing_personal(app, client, make_user, caplog):
    trainer = make_user(Role.TRAINER, "trainer-one", "Trainer Kim")
    _, token = invitations.create_invitation(trainer, Role.TRAINEE)
    db.session.commit()
    caplog.set_level(logging.DEBUG)
    with client.session_transaction() as session:  # the sign-in name the form offers
        session[sign_in_names.OFFERED_NAME] = USERNAME

    registered = client.post(
        f"/register/{token}",
        data={
            "username": USERNAME,
            "display_name": DISPLAY_NAME,
            "password": PASSWORD,
            "confirm_password": PASSWORD,
            "email": EMAIL,
        },
    )
    assert registered.status_code == 302
    client.post("/sign-out")
    wrong = client.post("/sign-in", data={"username": USERNAME, "password": PASSWORD + "x"})
    assert wrong.status_code == 400
    assert (
        client.post("/sign-in", data={"username": USERNAME, "password": PASSWORD}).status_code
        == 302
    )

    module = current_catalogue().modules["basics"]
    for lesson in module.lessons:
        client.get(f"/modules/basics/lessons/{lesson.slug}")
        client.post(f"/modules/basics/lessons/{lesson.slug}/studied")
    assert client.get("/modules/basics/quiz").status_code == 200
    from academy.modules.quizzes.models import QuizAttempt

    attempt = db.session.scalar(db.select(QuizAttempt))
    answers = {
        f"answer-{qid}": sorted(module.quiz.question(qid).correct_ids)
        for qid in attempt.question_ids
    }
    submitted = client.post(f"/quiz/attempts/{attempt.id}", data=answers)
    assert submitted.status_code == 302
    (certificate,) = [
        c for c in certificates.certificates_for(attempt.user_id) if c.kind == "module"
    ]
    code = certificate.code

    assert DISPLAY_NAME in client.get(f"/verify?code={format_code(code)}").get_data(as_text=True)
    client.post("/sign-out")
    assert client.get(f"/verify?code={code.lower()}").status_code == 200
    assert client.get(f"/api/v1/certificates/{code}").get_json()["holder_name"] == DISPLAY_NAME
    client.post("/sign-in", data={"username": USERNAME, "password": PASSWORD})
    assert EMAIL in client.get("/account/data.json").get_data(as_text=True)
    client.get("/definitely-not-a-page")  # errors are logged too

    assert caplog.records, "nothing was captured: is logging at DEBUG?"
    logged = everything_logged(caplog)
    for secret in (USERNAME, DISPLAY_NAME, EMAIL, PASSWORD, token, code, format_code(code)):
        assert secret not in logged, f"{secret!r} appears in the log"
    assert "lark" not in logged.lower()  # not even a part of the name or the address


def test_a_database_error_is_logged_without_the_values(app, client, make_user, caplog):
    """A failing statement's message can carry the values (PostgreSQL's DETAIL says
    "Key (username)=(...) already exists"); the app logs only the error's type and route,
    and SQLAlchemy leaves the parameters out of the message."""
    from sqlalchemy.exc import IntegrityError

    from academy.modules.accounts.models import User

    make_user(Role.TRAINEE, USERNAME, DISPLAY_NAME)
    raised: list[IntegrityError] = []

    def duplicate():
        db.session.add(User(username=USERNAME, display_name=DISPLAY_NAME, password_hash="x"))
        try:
            db.session.flush()
        except IntegrityError as error:
            raised.append(error)
            raise

    app.add_url_rule("/duplicate-for-test", view_func=duplicate)
    caplog.set_level(logging.DEBUG)
    assert client.get("/duplicate-for-test").status_code == 500

    assert "hide_parameters=True" in str(raised[0])  # the SQL parameters are left out
    assert "IntegrityError" in caplog.text
    logged = everything_logged(caplog)
    assert USERNAME not in logged and DISPLAY_NAME not in logged


def test_sql_logging_never_shows_the_values(app, make_user, caplog):
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    make_user(Role.TRAINEE, USERNAME, DISPLAY_NAME)
    assert "INSERT INTO users" in caplog.text  # SQL is logged, when someone asks for it
    assert USERNAME not in caplog.text and DISPLAY_NAME not in caplog.text
