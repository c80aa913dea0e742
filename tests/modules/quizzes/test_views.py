"""Taking a quiz through HTTP: the sheet, submitting, results, and what must not work."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts.models import Role, User
from academy.modules.progress import services as progress
from academy.modules.quizzes.models import QuizAttempt
from tests import (
    accept_content_warning,
    as_form,
    complete_module,
    right_answers,
)
from tests.conftest import PASSWORD

ALL_RIGHT = {"q-sky": ["1"], "q-fruit": ["1", "3"], "q-cat": ["2"]}
ALL_WRONG = {"q-sky": ["2"], "q-fruit": ["2"], "q-cat": ["3"]}
# what the trainee may only see after sending the sheet
FEEDBACK = ["Right.", "Grass is green, not the sky.", "A carrot is a root."]
EXPLANATIONS = [
    "The sky looks blue because of scattering.",
    "Apples and pears are fruits.",
    "Cats have four legs.",
]


@pytest.fixture
def signed_in(client, auth, trainee):
    auth.sign_in(trainee)
    return client


def open_sheet(client, slug: str = "basics") -> tuple[str, int]:
    """The quiz page and the id of its attempt."""
    response = client.get(f"/modules/{slug}/quiz")
    assert response.status_code == 200
    match = re.search(r'action="/quiz/attempts/(\d+)"', response.text)
    assert match, "no answer form on the quiz page"
    return response.text, int(match.group(1))


def attempt(attempt_id: int) -> QuizAttempt:
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt_id)


def shown_question_ids(page: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r'name="answer-([^"]+)"', page)))


def checked_inputs(page: str) -> set[tuple[str, str]]:
    return {
        (name, value)
        for name, value in re.findall(
            r'name="answer-([^"]+)" value="([^"]+)"[^>]*\bchecked\b', page
        )
    }


def test_the_quiz_needs_a_signed_in_user(client):
    response = client.get("/modules/basics/quiz")

    assert response.status_code == 302
    assert response.location.startswith("/sign-in")


def test_the_quiz_page_shows_numbered_questions_and_how_to_answer(signed_in):
    page, _ = open_sheet(signed_in)

    assert "3 questions. You pass with 60 % or more." in page
    assert shown_question_ids(page) == ["q-sky", "q-fruit", "q-cat"]
    assert '<span class="number">1.</span> What colour is the sky on a clear day?' in page
    assert page.count('type="radio" name="answer-q-sky"') == 2
    assert page.count('type="checkbox" name="answer-q-fruit"') == 3
    assert "Choose one answer." in page
    assert "Choose all answers that are right." in page


def test_the_quiz_page_gives_away_no_answer(signed_in):
    page, _ = open_sheet(signed_in)

    for text in FEEDBACK + EXPLANATIONS:
        assert text not in page
    for marker in ("correct", "Right answer", "Your answer", "checked", "verdict", "feedback"):
        assert marker not in page
    # every option looks the same: only the visible text differs
    options = re.findall(r'<div class="option">\s*(<input[^>]*>)', page)
    assert len(options) == 8
    assert len({re.sub(r'(type|name|value|id)="[^"]*"', "", tag) for tag in options}) == 1


def test_reopening_the_quiz_page_keeps_the_same_attempt_and_questions(client, auth, trainee):
    complete_module(trainee.id, "basics")
    accept_content_warning(trainee.id, "advanced")
    auth.sign_in(trainee)

    first_page, first_id = open_sheet(client, "advanced")
    reopened = [open_sheet(client, "advanced") for _ in range(3)]

    assert {attempt_id for _, attempt_id in reopened} == {first_id}
    assert all(shown_question_ids(page) == shown_question_ids(first_page) for page, _ in reopened)
    assert len(shown_question_ids(first_page)) == 2
    assert attempt(first_id).question_ids == shown_question_ids(first_page)


def test_sending_right_answers_shows_a_passed_result(signed_in, trainee):
    _, attempt_id = open_sheet(signed_in)

    response = signed_in.post(f"/quiz/attempts/{attempt_id}", data=as_form(ALL_RIGHT))

    assert response.status_code == 302
    assert response.location == f"/quiz/attempts/{attempt_id}"
    result = signed_in.get(response.location).text
    assert "Your result: 100 %" in result
    assert "Passed." in result
    assert progress.module_status(trainee.id, current_catalogue().modules["basics"]).quiz_passed


def test_unanswered_questions_are_named_and_the_chosen_answers_stay_checked(signed_in):
    _, attempt_id = open_sheet(signed_in)

    response = signed_in.post(f"/quiz/attempts/{attempt_id}", data=as_form({"q-fruit": ["1", "3"]}))

    assert response.status_code == 400
    assert "Please answer questions 1, 3. Your other answers are kept." in response.text
    assert checked_inputs(response.text) == {("q-fruit", "1"), ("q-fruit", "3")}
    for text in EXPLANATIONS:
        assert text not in response.text
    assert not attempt(attempt_id).submitted


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (ALL_RIGHT | {"q-sky": ["9"]}, "Question 1 received an option it does not have."),
        (ALL_RIGHT | {"q-sky": ["1", "2"]}, "Question 1 takes one answer only."),
        (ALL_RIGHT | {"q-unknown": ["1"]}, "The answers do not match the questions"),
    ],
    ids=["foreign-option", "two-radios", "unknown-question"],
)
def test_a_tampered_sheet_is_refused_and_nothing_is_recorded(signed_in, answers, message):
    _, attempt_id = open_sheet(signed_in)

    response = signed_in.post(f"/quiz/attempts/{attempt_id}", data=as_form(answers))

    assert response.status_code == 400
    assert message in response.text
    assert not attempt(attempt_id).submitted


def test_answers_to_questions_that_were_not_drawn_are_refused(client, auth, trainee):
    complete_module(trainee.id, "basics")  # opens advanced, which draws 2 of 3 questions
    accept_content_warning(trainee.id, "advanced")
    auth.sign_in(trainee)
    _, attempt_id = open_sheet(client, "advanced")
    drawn = attempt(attempt_id).question_ids
    (undrawn,) = {"q-one", "q-two", "q-three"} - set(drawn)

    response = client.post(
        f"/quiz/attempts/{attempt_id}",
        data=as_form(right_answers("advanced", drawn) | {undrawn: ["1"]}),
    )

    assert response.status_code == 400
    assert "The answers do not match the questions of this attempt." in response.text
    assert not attempt(attempt_id).submitted


def test_extra_form_fields_change_nothing(signed_in, make_user, trainee):
    other = make_user()
    _, attempt_id = open_sheet(signed_in)

    signed_in.post(
        f"/quiz/attempts/{attempt_id}",
        data=as_form(
            ALL_WRONG,
            score="100",
            passed="1",
            role="admin",
            user_id=str(other.id),
            module_slug="advanced",
            attempt_id="1",
        ),
    )

    recorded = attempt(attempt_id)
    assert (recorded.score, recorded.passed) == (0, False)
    assert recorded.user_id == trainee.id
    assert recorded.module_slug == "basics"
    assert recorded.answers == ALL_WRONG
    assert db.session.get(User, trainee.id).role == Role.TRAINEE.value
    assert "Your result: 0 %" in signed_in.get(f"/quiz/attempts/{attempt_id}").text


def test_sending_the_same_sheet_twice_records_one_graded_attempt(signed_in, trainee):
    _, attempt_id = open_sheet(signed_in)

    first = signed_in.post(f"/quiz/attempts/{attempt_id}", data=as_form(ALL_RIGHT))
    second = signed_in.post(f"/quiz/attempts/{attempt_id}", data=as_form(ALL_WRONG))

    assert first.location == second.location == f"/quiz/attempts/{attempt_id}"
    submitted = db.session.scalars(
        select(QuizAttempt)
        .filter_by(user_id=trainee.id)
        .where(QuizAttempt.submitted_at.is_not(None))
    ).all()
    assert [(a.id, a.score, a.answers) for a in submitted] == [(attempt_id, 100, ALL_RIGHT)]
    assert "Your result: 100 %" in signed_in.get(second.location).text


def test_another_trainee_can_neither_see_nor_submit_an_attempt(app, signed_in, make_user):
    _, attempt_id = open_sheet(signed_in)
    intruder = app.test_client()
    intruder.post("/sign-in", data={"username": make_user().username, "password": PASSWORD})

    submitted = intruder.post(f"/quiz/attempts/{attempt_id}", data=as_form(ALL_WRONG))
    viewed = intruder.get(f"/quiz/attempts/{attempt_id}")

    assert submitted.status_code == viewed.status_code == 404
    assert "Page not found" in submitted.text
    assert not attempt(attempt_id).submitted

    signed_in.post(f"/quiz/attempts/{attempt_id}", data=as_form(ALL_RIGHT))
    result = intruder.get(f"/quiz/attempts/{attempt_id}")
    assert result.status_code == 404
    assert "Your result" not in result.text
    assert "Cats have four legs." not in result.text


def test_an_unsubmitted_attempt_has_no_result_page_yet(signed_in):
    _, attempt_id = open_sheet(signed_in)

    response = signed_in.get(f"/quiz/attempts/{attempt_id}")

    assert response.status_code == 302
    assert response.location == "/modules/basics/quiz"


def test_fail_then_retake_then_pass(signed_in, trainee):
    _, failed_id = open_sheet(signed_in)
    signed_in.post(f"/quiz/attempts/{failed_id}", data=as_form(ALL_WRONG))
    failed_page = signed_in.get(f"/quiz/attempts/{failed_id}").text
    assert "Not passed yet." in failed_page
    assert 'href="/modules/basics/quiz">Try again</a>' in failed_page

    _, retake_id = open_sheet(signed_in)
    assert retake_id != failed_id
    signed_in.post(f"/quiz/attempts/{retake_id}", data=as_form(ALL_RIGHT))

    assert "Passed." in signed_in.get(f"/quiz/attempts/{retake_id}").text
    assert "You have passed this quiz." in signed_in.get("/modules/basics").text
    assert "Not passed yet." in signed_in.get(f"/quiz/attempts/{failed_id}").text
