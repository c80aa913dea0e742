"""Pacing through HTTP: the quiz page, the module page and the failing attempt's result
page say exactly when the quiz opens again, in the trainees' time zone, and what to
reread; opening and sending during the wait are refused."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from academy import create_app
from academy.core import clock
from academy.core.extensions import db
from academy.modules.quizzes.models import QuizAttempt
from tests import as_form
from tests.conftest import PASSWORD, build_config

START = datetime(2026, 3, 2, 9, 15)  # a Monday
ALL_WRONG = {"q-sky": ["2"], "q-fruit": ["2"], "q-cat": ["3"]}
ALL_RIGHT = {"q-sky": ["1"], "q-fruit": ["1", "3"], "q-cat": ["2"]}
# 2026-03-02 09:25 UTC, the third failure, and 24 hours on, in Berlin (UTC+1 in March)
OPENS = '<time datetime="2026-03-03T10:25+01:00">Tuesday 3 March 2026 at 10:25</time> (Berlin time)'
REREAD = [
    '<a href="/modules/basics/lessons/first-steps">First steps</a>',
    '<a href="/modules/basics/lessons/next-steps">Next steps</a>',
]


@pytest.fixture(autouse=True)
def frozen(app):
    clock.freeze(START)


@pytest.fixture
def signed_in(client, auth, trainee):
    auth.sign_in(trainee)
    return client


def signed_in_now(app, user):
    """A new browser, signed in at the clock's time."""
    client = app.test_client()
    client.post("/sign-in", data={"username": user.username, "password": PASSWORD})
    return client


def attempt_on(page: str) -> int | None:
    match = re.search(r'action="/quiz/attempts/(\d+)"', page)
    return int(match.group(1)) if match else None


def fail(client, answers=ALL_WRONG) -> str:
    """Open the quiz, send a failing sheet, let five minutes pass; the result's address."""
    attempt_id = attempt_on(client.get("/modules/basics/quiz").text)
    response = client.post(f"/quiz/attempts/{attempt_id}", data=as_form(answers))
    assert response.status_code == 302
    clock.travel(timedelta(minutes=5))
    return response.location


def test_the_quiz_and_module_pages_state_the_rule(signed_in):
    rule = "If you do not pass 3 times in a row, the next try opens 24 hours after the last one."

    assert rule in signed_in.get("/modules/basics/quiz").text
    assert rule in signed_in.get("/modules/basics").text


def test_after_three_failures_the_quiz_page_says_when_it_opens_and_what_to_reread(signed_in):
    fail(signed_in)
    fail(signed_in)
    assert attempt_on(signed_in.get("/modules/basics/quiz").text) is not None
    fail(signed_in)

    response = signed_in.get("/modules/basics/quiz")

    assert response.status_code == 200
    assert f"Your next try opens on {OPENS}." in response.text
    assert (
        f"Your next try opens on {OPENS}.</strong> If you do not pass 3 times in a row, the "
        "next try opens 24 hours after the last one. If you need it sooner, ask your trainer."
    ) in response.text
    for link in REREAD:
        assert link in response.text
    assert attempt_on(response.text) is None  # no sheet, no attempt
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 3


def test_the_module_page_shows_the_wait_instead_of_the_quiz_link(signed_in):
    for _ in range(3):
        fail(signed_in)

    page = signed_in.get("/modules/basics").text

    assert f"Your next try opens on {OPENS}." in page
    assert REREAD[0] in page
    assert "Take the quiz" not in page


def test_the_result_page_of_the_failing_attempt_says_when_instead_of_try_again(signed_in):
    fail(signed_in)
    second = fail(signed_in)
    assert "Try again" in signed_in.get(second).text
    third = fail(signed_in)

    page = signed_in.get(third).text

    assert f"Your next try opens on {OPENS}." in page
    assert "Try again" not in page
    assert OPENS in signed_in.get(second).text  # any failed attempt's page, during the wait


def test_the_quiz_opens_again_at_the_minute_shown(app, signed_in, trainee):
    for _ in range(3):
        fail(signed_in)
    clock.freeze(datetime(2026, 3, 3, 9, 25))
    client = signed_in_now(app, trainee)  # the session ended overnight

    page = client.get("/modules/basics/quiz").text

    assert attempt_on(page) is not None
    assert "Your next try opens" not in page


def test_a_wait_ending_within_a_minute_is_shown_at_the_next_full_minute(signed_in):
    clock.freeze(START + timedelta(seconds=30))
    for _ in range(3):
        fail(signed_in)

    assert '<time datetime="2026-03-03T10:26+01:00">' in signed_in.get("/modules/basics/quiz").text


def test_sending_a_sheet_opened_after_the_wait_began_is_refused_and_kept(app, signed_in, trainee):
    for _ in range(3):
        fail(signed_in)
    late = QuizAttempt(
        user_id=trainee.id, module_slug="basics", module_version="1.0", question_ids=["q-sky"]
    )
    db.session.add(late)
    db.session.commit()

    response = signed_in.post(f"/quiz/attempts/{late.id}", data=as_form({"q-sky": ["1"]}))

    assert response.status_code == 400
    assert f"Your next try opens on {OPENS}." in response.text
    assert "They are kept and filled in when it opens." in response.text
    db.session.expire_all()
    kept = db.session.get(QuizAttempt, late.id)
    assert (kept.submitted_at, kept.answers) == (None, {"q-sky": ["1"]})
    clock.freeze(datetime(2026, 3, 3, 9, 25))  # the quiz opens: the answers are filled in
    page = signed_in_now(app, trainee).get("/modules/basics/quiz").text
    assert attempt_on(page) == late.id
    assert re.search(r'name="answer-q-sky" value="1" id="q\d-q-sky-1" checked', page)
    assert "The answers you sent before, which were not graded yet, are filled in." in page


def test_another_trainee_can_take_the_quiz_meanwhile(app, signed_in, make_user):
    for _ in range(3):
        fail(signed_in)
    other = app.test_client()
    other.post(
        "/sign-in", data={"username": make_user().username, "password": "correct horse battery"}
    )

    assert attempt_on(other.get("/modules/basics/quiz").text) is not None


def test_passing_ends_the_run_so_no_wait_follows(signed_in):
    fail(signed_in)
    fail(signed_in)
    passed = fail(signed_in, ALL_RIGHT)
    assert "Passed." in signed_in.get(passed).text
    fail(signed_in)

    assert attempt_on(signed_in.get("/modules/basics/quiz").text) is not None


@pytest.mark.parametrize(
    ("app_config", "failed_at", "shown"),
    [
        (  # summer time began on 29 March: UTC+2
            {},
            datetime(2026, 3, 28, 12, 0),
            '<time datetime="2026-03-29T14:10+02:00">Sunday 29 March 2026 at 14:10</time>'
            " (Berlin time)",
        ),
        (
            {"ACADEMY_TIME_ZONE": "America/New_York"},
            START,
            '<time datetime="2026-03-03T04:25-05:00">Tuesday 3 March 2026 at 04:25</time>'
            " (New York time)",
        ),
    ],
    indirect=["app_config"],
    ids=["summer-time", "other-zone"],
)
def test_the_time_is_the_trainees_own(app, trainee, failed_at, shown):
    clock.freeze(failed_at)
    client = signed_in_now(app, trainee)
    for _ in range(3):
        fail(client)

    assert shown in client.get("/modules/basics/quiz").text


@pytest.mark.parametrize("zone", ["Europe/Nowhere", "../etc/passwd"])
def test_an_unknown_time_zone_stops_the_app_at_start(tmp_path, zone):
    with pytest.raises(ValueError, match="ACADEMY_TIME_ZONE must be a time zone name"):
        create_app(build_config(tmp_path, ACADEMY_TIME_ZONE=zone))


@pytest.mark.parametrize(
    ("variable", "zone"), [("Asia/Tokyo", "Asia/Tokyo"), (" ", "Europe/Berlin")]
)
def test_the_time_zone_comes_from_the_environment(tmp_path, monkeypatch, variable, zone):
    monkeypatch.setenv("ACADEMY_TIME_ZONE", variable)

    assert create_app(build_config(tmp_path)).config["ACADEMY_TIME_ZONE"] == zone
