"""Quizzes: grading, drawing questions, checking answer sheets, recording attempts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from academy.core import clock
from academy.core.content import load_catalogue
from academy.core.content.quiz import parse_quiz
from academy.core.extensions import db
from academy.modules.progress import services as progress
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.models import QuizAttempt
from tests import (
    right_answers,
    wrong_answers,
)
from tests.conftest import FIXTURE_CONTENT

BASICS_IDS = ["q-sky", "q-fruit", "q-cat"]
ALL_RIGHT = {"q-sky": ["1"], "q-fruit": ["1", "3"], "q-cat": ["2"]}


@pytest.fixture(scope="module")
def catalogue():
    """The fixture content, loaded once: grading and drawing need no app or database."""
    return load_catalogue(FIXTURE_CONTENT)


@pytest.fixture
def basics(catalogue):
    return catalogue.modules["basics"]


@pytest.fixture
def advanced(catalogue):
    return catalogue.modules["advanced"]


@pytest.mark.parametrize(
    ("question_id", "selected", "right"),
    [
        ("q-sky", {"1"}, True),
        ("q-sky", {"2"}, False),
        ("q-sky", set(), False),
        ("q-fruit", {"1", "3"}, True),
        ("q-fruit", {"1"}, False),
        ("q-fruit", {"3"}, False),
        ("q-fruit", {"1", "2", "3"}, False),
        ("q-fruit", {"2"}, False),
        ("q-fruit", set(), False),
    ],
    ids=[
        "single-right",
        "single-wrong",
        "single-empty",
        "multiple-all-right",
        "multiple-one-missing",
        "multiple-other-missing",
        "multiple-right-plus-a-wrong-one",
        "multiple-only-wrong",
        "multiple-empty",
    ],
)
def test_an_answer_is_right_only_with_exactly_the_correct_options(
    basics, question_id, selected, right
):
    question = basics.quiz.question(question_id)
    assert question.type.grade(question, sorted(selected)) is right


@pytest.mark.parametrize(
    ("answers", "score", "passed"),
    [
        (ALL_RIGHT, 100, True),
        (ALL_RIGHT | {"q-cat": ["1"]}, 67, True),
        (ALL_RIGHT | {"q-cat": ["1"], "q-fruit": ["1"]}, 33, False),
        ({"q-sky": ["2"], "q-fruit": ["2"], "q-cat": ["3"]}, 0, False),
    ],
)
def test_the_score_is_the_percentage_of_right_answers(basics, answers, score, passed):
    grade = quizzes.grade_answers(basics.quiz, BASICS_IDS, answers)

    assert grade.score == score
    assert grade.passed is passed
    assert sum(grade.correct.values()) == round(score * 3 / 100)


@pytest.mark.parametrize(("pass_mark", "passed"), [(66, True), (67, True), (68, False)])
def test_a_score_exactly_at_the_pass_mark_passes(basics, pass_mark, passed):
    quiz = replace(basics.quiz, pass_mark=pass_mark)

    grade = quizzes.grade_answers(quiz, BASICS_IDS, ALL_RIGHT | {"q-cat": ["1"]})

    assert grade.score == 67
    assert grade.passed is passed


def test_a_full_pass_mark_needs_every_answer_right(advanced):
    ids = ["q-one", "q-two"]

    assert quizzes.grade_answers(advanced.quiz, ids, {"q-one": ["1"], "q-two": ["1"]}).passed
    assert not quizzes.grade_answers(advanced.quiz, ids, {"q-one": ["1"], "q-two": ["2"]}).passed


def test_without_draw_every_question_is_asked_in_author_order(basics):
    assert quizzes.draw_questions(basics.quiz) == BASICS_IDS


def test_a_draw_asks_the_set_number_of_questions_in_author_order(advanced):
    author_order = [q.id for q in advanced.quiz.questions]

    for _ in range(20):
        drawn = quizzes.draw_questions(advanced.quiz)
        assert len(drawn) == 2
        assert len(set(drawn)) == 2
        assert drawn == [qid for qid in author_order if qid in drawn]


def test_draws_vary_from_attempt_to_attempt(advanced):
    # 3 possible pairs; 40 identical draws in a row would happen once in 10^19 runs
    draws = {tuple(quizzes.draw_questions(advanced.quiz)) for _ in range(40)}

    assert len(draws) > 1


def test_reopening_the_quiz_keeps_the_same_open_attempt_and_questions(trainee, advanced):
    first = quizzes.open_attempt(trainee.id, advanced)
    db.session.commit()

    again = [quizzes.open_attempt(trainee.id, advanced) for _ in range(5)]

    assert {attempt.id for attempt in again} == {first.id}
    assert all(attempt.question_ids == first.question_ids for attempt in again)


def test_an_open_attempt_whose_questions_were_removed_is_drawn_afresh_in_place(trainee, basics):
    """One open attempt per quiz version (a unique index): a question removed without a
    new version gives the same attempt a fresh draw, not a second open attempt."""
    stale = quizzes.open_attempt(trainee.id, basics)
    stale.question_ids = ["q-sky", "q-removed"]
    stale.answers = {"q-sky": ["1"]}
    db.session.commit()

    reopened = quizzes.open_attempt(trainee.id, basics)
    db.session.commit()

    assert reopened.id == stale.id
    assert reopened.question_ids == BASICS_IDS
    assert reopened.answers is None
    open_attempts = db.session.scalars(select(QuizAttempt).filter_by(user_id=trainee.id)).all()
    assert len(open_attempts) == 1


def test_each_trainee_gets_an_own_attempt(make_user, trainee, basics):
    other = make_user()

    mine = quizzes.open_attempt(trainee.id, basics)
    theirs = quizzes.open_attempt(other.id, basics)

    assert mine.id != theirs.id
    assert (mine.user_id, theirs.user_id) == (trainee.id, other.id)


def test_a_new_attempt_after_a_submitted_one_is_drawn_afresh(trainee, advanced):
    first = quizzes.open_attempt(trainee.id, advanced)
    quizzes.submit_attempt(trainee.id, first.id, wrong_answers("advanced", first.question_ids))

    second = quizzes.open_attempt(trainee.id, advanced)

    assert second.id != first.id
    assert not second.submitted
    assert len(second.question_ids) == 2


def test_check_answers_keeps_well_formed_answers_without_duplicates(basics):
    answers = {"q-sky": ["1", "1"], "q-fruit": ["3", "1"], "q-cat": ["2"]}

    assert quizzes.check_answers(basics.quiz, BASICS_IDS, answers) == {
        "q-sky": ["1"],
        "q-fruit": ["3", "1"],
        "q-cat": ["2"],
    }


def test_unanswered_questions_are_named_by_number(basics):
    with pytest.raises(quizzes.UnansweredQuestions) as raised:
        quizzes.check_answers(basics.quiz, BASICS_IDS, {"q-fruit": ["1"]})

    assert raised.value.numbers == [1, 3]
    assert str(raised.value) == "Please answer questions 1, 3. Your other answers are kept."


def test_one_unanswered_question_is_named_in_the_singular(basics):
    with pytest.raises(quizzes.UnansweredQuestions, match="Please answer question 2. "):
        quizzes.check_answers(basics.quiz, BASICS_IDS, {"q-sky": ["1"], "q-cat": ["2"]})


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (ALL_RIGHT | {"q-sky": ["7"]}, "Question 1 received an option it does not have."),
        (ALL_RIGHT | {"q-cat": ["4"]}, "Question 3 received an option it does not have."),
        (ALL_RIGHT | {"q-cat": [""]}, "Question 3 received an option it does not have."),
        (ALL_RIGHT | {"q-sky": ["1", "2"]}, "Question 1 takes one answer only."),
        (ALL_RIGHT | {"q-elsewhere": ["1"]}, "The answers do not match the questions"),
    ],
    ids=["foreign-option", "option-of-another-question", "empty-option", "two-radios", "extra"],
)
def test_malformed_answer_sheets_are_refused(basics, answers, message):
    with pytest.raises(quizzes.QuizError, match=message):
        quizzes.check_answers(basics.quiz, BASICS_IDS, answers)


def test_answers_to_questions_that_were_not_drawn_are_refused(trainee, advanced):
    attempt = quizzes.open_attempt(trainee.id, advanced)
    (undrawn,) = {"q-one", "q-two", "q-three"} - set(attempt.question_ids)
    answers = right_answers("advanced", attempt.question_ids) | {undrawn: ["1"]}

    with pytest.raises(quizzes.QuizError, match="do not match the questions of this attempt"):
        quizzes.submit_attempt(trainee.id, attempt.id, answers)

    db.session.refresh(attempt)
    assert not attempt.submitted


def test_submitting_grades_and_records_the_attempt(trainee, basics):
    attempt = quizzes.open_attempt(trainee.id, basics)

    result = quizzes.submit_attempt(trainee.id, attempt.id, ALL_RIGHT | {"q-cat": ["3"]})

    assert result.id == attempt.id
    assert result.submitted
    assert (result.score, result.passed) == (67, True)
    assert result.answers == ALL_RIGHT | {"q-cat": ["3"]}
    assert progress.module_status(trainee.id, basics).quiz_passed


def test_a_second_submission_of_the_same_attempt_changes_nothing(trainee, basics):
    attempt = quizzes.open_attempt(trainee.id, basics)
    quizzes.submit_attempt(trainee.id, attempt.id, ALL_RIGHT)
    db.session.commit()
    submitted_at = attempt.submitted_at

    again = quizzes.submit_attempt(
        trainee.id, attempt.id, {"q-sky": ["2"], "q-fruit": ["2"], "q-cat": ["1"]}
    )
    db.session.commit()

    assert again.id == attempt.id
    assert (again.score, again.passed, again.answers) == (100, True, ALL_RIGHT)
    assert again.submitted_at == submitted_at
    assert len(quizzes.attempts_for(trainee.id, "basics")) == 1


def test_a_failed_attempt_does_not_count_as_a_pass(trainee, basics):
    attempt = quizzes.open_attempt(trainee.id, basics)

    result = quizzes.submit_attempt(trainee.id, attempt.id, wrong_answers("basics", BASICS_IDS))

    assert (result.score, result.passed) == (0, False)
    assert not progress.module_status(trainee.id, basics).quiz_passed


def test_fail_then_retake_then_pass(trainee, basics):
    failed = quizzes.open_attempt(trainee.id, basics)
    quizzes.submit_attempt(trainee.id, failed.id, wrong_answers("basics", BASICS_IDS))
    clock.travel(timedelta(minutes=5))
    retake = quizzes.open_attempt(trainee.id, basics)

    passed = quizzes.submit_attempt(trainee.id, retake.id, ALL_RIGHT)

    assert passed.passed
    assert progress.module_status(trainee.id, basics).quiz_passed
    assert [a.id for a in quizzes.attempts_for(trainee.id, "basics")] == [retake.id, failed.id]


def test_someone_elses_attempt_cannot_be_read_or_submitted(make_user, trainee, basics):
    attempt = quizzes.open_attempt(trainee.id, basics)
    other = make_user()

    with pytest.raises(NotFound):
        quizzes.get_own_attempt(other.id, attempt.id)
    with pytest.raises(NotFound):
        quizzes.submit_attempt(other.id, attempt.id, ALL_RIGHT)

    db.session.refresh(attempt)
    assert not attempt.submitted


def test_an_unknown_attempt_is_not_found(trainee):
    with pytest.raises(NotFound):
        quizzes.get_own_attempt(trainee.id, 123456)


def test_attempts_for_lists_submitted_attempts_only(trainee, basics):
    quizzes.open_attempt(trainee.id, basics)

    assert quizzes.attempts_for(trainee.id, "basics") == []


GROUPED = """\
---
pass_mark: 80
draw: 3
---
""" + "".join(
    f"## Q{n} {{#q-{n}{group}}}\n- (x) a\n- ( ) b\n\n"
    for n, group in enumerate(
        [" group=crisis", " group=crisis", " group=rights", " group=rights", " group=rights"]
        + [""] * 5
    )
)


def test_every_attempt_draws_a_question_of_every_group():
    quiz, _ = parse_quiz("quiz.md", GROUPED)
    groups = {q.id: q.group for q in quiz.questions}

    draws = [quizzes.draw_questions(quiz) for _ in range(300)]

    assert all(len(drawn) == 3 for drawn in draws)
    assert all({"crisis", "rights"} <= {groups[qid] for qid in drawn} for drawn in draws)
    assert all(drawn == sorted(drawn, key=lambda qid: int(qid[2:])) for drawn in draws)
    # the third question comes from the rest, grouped or not: each of the ten is drawn
    assert {qid for drawn in draws for qid in drawn} == set(groups)
