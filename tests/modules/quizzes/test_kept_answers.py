"""A quiz sent after the session ended: the answers are kept with the open attempt, and
after signing in again the trainee is back on the quiz with them filled in.

Everything goes through HTTP with CSRF protection on, as deployed.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from academy.core import clock
from academy.core.extensions import db
from academy.core.sessions import IDLE_MESSAGE
from academy.modules.quizzes.kept_answers import SIGNED_ATTEMPT_FIELD
from academy.modules.quizzes.models import QuizAttempt
from academy.modules.quizzes.views import KEPT_MESSAGE
from tests.conftest import PASSWORD, csrf_token_from

pytestmark = pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True)

ANSWERS = {"q-sky": ["1"], "q-fruit": ["1", "3"], "q-cat": ["2"]}
QUIZ_PAGE = "/modules/basics/quiz"
FILLED_IN_NOTICE = "The answers you sent before, which were not graded yet, are filled in."


def sign_in(client, user, url: str = "/sign-in"):
    """Sign in as a browser does: the form's CSRF token, posted back to the same URL."""
    token = csrf_token_from(client.get(url).text)
    return client.post(
        url, data={"username": user.username, "password": PASSWORD, "csrf_token": token}
    )


def open_sheet(client) -> tuple[int, dict[str, str]]:
    """The attempt's id and the hidden fields the quiz form sends back."""
    page = client.get(QUIZ_PAGE).text
    attempt_id = int(re.search(r'action="/quiz/attempts/(\d+)"', page).group(1))
    signed = re.search(rf'name="{SIGNED_ATTEMPT_FIELD}" value="([^"]+)"', page).group(1)
    return attempt_id, {"csrf_token": csrf_token_from(page), SIGNED_ATTEMPT_FIELD: signed}


def sheet(hidden: dict[str, str], answers: dict[str, list[str]] = ANSWERS) -> dict:
    return hidden | {f"answer-{qid}": options for qid, options in answers.items()}


def checked_answers(page: str) -> dict[str, list[str]]:
    """The ticked options of each question, sorted: the page shows them shuffled."""
    checked: dict[str, list[str]] = {}
    for name, value in re.findall(r'name="answer-([^"]+)" value="([^"]+)"[^>]*\bchecked\b', page):
        checked.setdefault(name, []).append(value)
    return {name: sorted(values) for name, values in checked.items()}


def stored_answers(attempt_id: int):
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt_id).answers


def assert_back_on_the_quiz_with_answers_filled_in(client, trainee, sent, why: str = "") -> None:
    assert sent.status_code == 302
    assert sent.location == f"/sign-in?next={QUIZ_PAGE}"
    sign_in_page = client.get(sent.location).text
    assert str(KEPT_MESSAGE) in sign_in_page and str(why) in sign_in_page

    signed_in = sign_in(client, trainee, sent.location)

    assert signed_in.status_code == 302 and signed_in.location == QUIZ_PAGE
    page = client.get(QUIZ_PAGE).text
    assert FILLED_IN_NOTICE in page
    assert checked_answers(page) == ANSWERS


def test_answers_sent_after_the_idle_timeout_are_kept_and_filled_in_after_sign_in(client, trainee):
    sign_in(client, trainee)
    attempt_id, hidden = open_sheet(client)
    clock.travel(timedelta(minutes=45))  # the trainee thought long about question 3

    sent = client.post(f"/quiz/attempts/{attempt_id}", data=sheet(hidden))

    assert stored_answers(attempt_id) == ANSWERS
    assert_back_on_the_quiz_with_answers_filled_in(client, trainee, sent, why=IDLE_MESSAGE)
    # sending the filled-in sheet grades it
    attempt_id_again, hidden = open_sheet(client)
    result = client.post(f"/quiz/attempts/{attempt_id}", data=sheet(hidden))
    assert attempt_id_again == attempt_id
    assert "Your result: 100 %" in client.get(result.location).text


def test_answers_sent_after_signing_out_on_another_device_are_kept(app, client, trainee):
    sign_in(client, trainee)
    attempt_id, hidden = open_sheet(client)
    laptop = app.test_client()
    sign_in(laptop, trainee)
    laptop.post("/sign-out", data={"csrf_token": csrf_token_from(laptop.get("/account").text)})

    sent = client.post(f"/quiz/attempts/{attempt_id}", data=sheet(hidden))

    assert stored_answers(attempt_id) == ANSWERS
    assert_back_on_the_quiz_with_answers_filled_in(client, trainee, sent)


def test_answers_sent_after_signing_out_in_another_tab_are_kept(client, trainee):
    """The other tab's sign-out clears the session cookie, and with it the CSRF token the
    quiz page was given: the attempt's own signed token still lets the answers be kept."""
    sign_in(client, trainee)
    attempt_id, hidden = open_sheet(client)
    client.post("/sign-out", data={"csrf_token": csrf_token_from(client.get("/account").text)})

    sent = client.post(f"/quiz/attempts/{attempt_id}", data=sheet(hidden))

    assert stored_answers(attempt_id) == ANSWERS
    assert_back_on_the_quiz_with_answers_filled_in(client, trainee, sent)


def test_a_signed_in_sheet_without_its_csrf_token_is_refused_and_changes_nothing(client, trainee):
    sign_in(client, trainee)
    attempt_id, hidden = open_sheet(client)
    del hidden["csrf_token"]

    sent = client.post(f"/quiz/attempts/{attempt_id}", data=sheet(hidden))

    # Not graded, nothing stored; the answers come back on the sheet, with a fresh token.
    assert sent.status_code == 400 and "Your answers were not sent yet" in sent.text
    assert checked_answers(sent.text) == ANSWERS
    assert 'name="csrf_token"' in sent.text
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert attempt.submitted_at is None and not attempt.answers


def test_another_sites_sheet_without_a_token_gets_the_plain_refusal(client, trainee):
    sign_in(client, trainee)
    attempt_id, hidden = open_sheet(client)
    del hidden["csrf_token"]

    sent = client.post(
        f"/quiz/attempts/{attempt_id}",
        data=sheet(hidden),
        headers={"Sec-Fetch-Site": "cross-site"},
    )

    assert sent.status_code == 400 and "form had expired" in sent.text
    assert checked_answers(sent.text) == {}
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert attempt.submitted_at is None and not attempt.answers


def test_a_reopened_quiz_without_kept_answers_says_nothing_about_them(client, trainee):
    sign_in(client, trainee)
    open_sheet(client)

    page = client.get(QUIZ_PAGE).text

    assert FILLED_IN_NOTICE not in page and checked_answers(page) == {}


def forged(attempt: QuizAttempt) -> str:
    return URLSafeTimedSerializer("not-the-secret-key", salt="quiz-attempt-kept-answers").dumps(
        [attempt.id, attempt.user_id]
    )


@pytest.mark.parametrize("signed_attempt", ["the attacker's own", "forged", "missing"])
def test_a_signed_out_sheet_cannot_put_answers_into_someone_elses_attempt(
    app, client, trainee, make_user, signed_attempt
):
    sign_in(client, trainee)
    victims_attempt, _ = open_sheet(client)
    attacker = app.test_client()
    sign_in(attacker, make_user())
    _, attackers_hidden = open_sheet(attacker)
    stranger = app.test_client()  # signed out, with what the attacker collected
    hidden = {"csrf_token": csrf_token_from(stranger.get("/sign-in").text)}
    if signed_attempt == "the attacker's own":
        hidden[SIGNED_ATTEMPT_FIELD] = attackers_hidden[SIGNED_ATTEMPT_FIELD]
    elif signed_attempt == "forged":
        hidden[SIGNED_ATTEMPT_FIELD] = forged(db.session.get(QuizAttempt, victims_attempt))

    sent = stranger.post(f"/quiz/attempts/{victims_attempt}", data=sheet(hidden))

    assert sent.status_code == 302 and sent.location.startswith("/sign-in")
    assert str(KEPT_MESSAGE) not in stranger.get(sent.location).text
    assert stored_answers(victims_attempt) is None
    page = client.get(QUIZ_PAGE).text
    assert FILLED_IN_NOTICE not in page and checked_answers(page) == {}


def test_the_signed_attempt_of_one_attempt_writes_into_no_other(app, client, trainee, make_user):
    """A valid signed attempt, sent to another attempt's address, stores nothing."""
    sign_in(client, trainee)
    victims_attempt, _ = open_sheet(client)
    attacker = app.test_client()
    sign_in(attacker, make_user())
    attackers_attempt, attackers_hidden = open_sheet(attacker)
    attacker.post("/sign-out", data={"csrf_token": attackers_hidden["csrf_token"]})
    hidden = attackers_hidden | {"csrf_token": csrf_token_from(attacker.get("/sign-in").text)}

    attacker.post(f"/quiz/attempts/{victims_attempt}", data=sheet(hidden))

    assert stored_answers(victims_attempt) is None
    assert stored_answers(attackers_attempt) is None


def test_a_sent_attempt_is_not_changed_by_a_signed_out_sheet(client, trainee):
    sign_in(client, trainee)
    attempt_id, hidden = open_sheet(client)
    client.post(f"/quiz/attempts/{attempt_id}", data=sheet(hidden))
    clock.travel(timedelta(hours=1))

    client.post(f"/quiz/attempts/{attempt_id}", data=sheet(hidden, ANSWERS | {"q-sky": ["2"]}))

    assert stored_answers(attempt_id) == ANSWERS


def test_only_well_formed_answers_are_kept(client, trainee):
    sign_in(client, trainee)
    attempt_id, hidden = open_sheet(client)
    clock.travel(timedelta(hours=1))
    tampered = {"q-sky": ["1", "2"], "q-fruit": ["1", "9"], "q-cat": ["2"], "q-other": ["1"]}

    client.post(f"/quiz/attempts/{attempt_id}", data=sheet(hidden, tampered))

    assert stored_answers(attempt_id) == {"q-cat": ["2"]}


def test_a_mistyped_password_on_the_way_back_keeps_the_way_to_the_quiz(client, trainee):
    sign_in(client, trainee)
    attempt_id, hidden = open_sheet(client)
    clock.travel(timedelta(hours=1))
    sent = client.post(f"/quiz/attempts/{attempt_id}", data=sheet(hidden))
    form = {
        "username": trainee.username,
        "csrf_token": csrf_token_from(client.get(sent.location).text),
    }

    refused = client.post(sent.location, data=form | {"password": "not the password"})
    signed_in = client.post(sent.location, data=form | {"password": PASSWORD})

    assert refused.status_code == 400
    assert signed_in.location == QUIZ_PAGE
    assert checked_answers(client.get(QUIZ_PAGE).text) == ANSWERS


@pytest.mark.parametrize(("days", "kept"), [(6, True), (8, False)])
def test_a_quiz_page_keeps_answers_for_seven_days(client, trainee, days, kept):
    sign_in(client, trainee)
    attempt_id, hidden = open_sheet(client)
    clock.travel(timedelta(days=days))

    client.post(f"/quiz/attempts/{attempt_id}", data=sheet(hidden))

    assert stored_answers(attempt_id) == (ANSWERS if kept else None)


def test_the_filled_in_sheet_shows_the_options_in_the_attempts_order(client, trainee):
    sign_in(client, trainee)
    before = client.get(QUIZ_PAGE).text
    attempt_id, hidden = open_sheet(client)
    clock.travel(timedelta(minutes=45))

    sent = client.post(f"/quiz/attempts/{attempt_id}", data=sheet(hidden))
    sign_in(client, trainee, sent.location)
    after = client.get(QUIZ_PAGE).text

    def options(page: str) -> list[tuple[str, str]]:
        return re.findall(r'name="answer-([^"]+)" value="([^"]+)"', page)

    assert FILLED_IN_NOTICE in after
    assert options(after) == options(before)
