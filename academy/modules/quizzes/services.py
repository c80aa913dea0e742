"""Quizzes: drawing questions, checking and grading answers, recording attempts."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext, ngettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import attributes
from werkzeug.exceptions import NotFound

from academy.core.catalogue import get_module
from academy.core.clock import utcnow
from academy.core.content.model import (
    REVIEW_AFTER_SUCCESS,
    REVIEW_ALWAYS,
    Module,
    Option,
    Question,
    Quiz,
)
from academy.core.dates import local_text
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.quiz_waits import QuizWait
from academy.modules.progress import services as progress
from academy.modules.quizzes import kept_answers, pacing, queries
from academy.modules.quizzes.models import QuizAttempt


class QuizError(UserError):
    """An answer sheet that cannot be graded; the message says what to do."""


class UnansweredQuestions(QuizError):
    def __init__(self, numbers: list[int]) -> None:
        listed = ", ".join(str(n) for n in numbers)
        super().__init__(
            ngettext(
                "Please answer question %(listed)s. Your other answers are kept.",
                "Please answer questions %(listed)s. Your other answers are kept.",
                len(numbers),
                listed=listed,
            )
        )
        self.numbers = numbers


class QuizChanged(QuizError):
    """The quiz was updated while the trainee was answering."""


class QuizWaiting(QuizError):
    """The trainee failed too often in a row: the next attempt opens later (pacing)."""

    def __init__(self, wait: QuizWait) -> None:
        super().__init__(
            gettext(
                "Your next try at this quiz opens on %(moment)s.", moment=local_text(wait.opens_at)
            )
        )
        self.wait = wait


@dataclass(frozen=True)
class Grade:
    correct: dict[str, bool]  # question id -> answered right
    score: int  # percent
    passed: bool


def grade_answers(quiz: Quiz, question_ids: list[str], answers: Mapping[str, list[str]]) -> Grade:
    """Each question graded by its type; the score is the share answered right."""
    correct = {}
    for qid in question_ids:
        question = quiz.question(qid)
        correct[qid] = question.type.grade(question, answers.get(qid, []))
    score = round(100 * sum(correct.values()) / len(question_ids)) if question_ids else 0
    return Grade(correct=correct, score=score, passed=score >= quiz.pass_mark)


def _require_quiz(module: Module) -> Quiz:
    if module.quiz is None:
        raise NotFound(gettext("The module '%(module)s' has no quiz.", module=module.title))
    return module.quiz


def draw_questions(quiz: Quiz) -> list[str]:
    """The questions of a new attempt, in the author's order: ``draw`` of them at
    random, at least one of every group (the parser makes sure the draw is large
    enough); questions without a group are drawn only among the rest."""
    ids = [q.id for q in quiz.questions]
    if quiz.draw is None or quiz.draw >= len(ids):
        return ids
    random = secrets.SystemRandom()
    groups: dict[str, list[str]] = {}
    for question in quiz.questions:
        if question.group is not None:
            groups.setdefault(question.group, []).append(question.id)
    drawn = {random.choice(members) for members in groups.values()}
    rest = [qid for qid in ids if qid not in drawn]
    drawn.update(random.sample(rest, quiz.draw - len(drawn)))
    return [qid for qid in ids if qid in drawn]


def option_order_key(attempt_id: int) -> bytes:
    """The key that shuffles the options of one attempt (question_types.shuffled).

    Derived, not stored: the same attempt always gets the same order (a reload, a second
    tab, the answers kept over a sign-in, the result page) with no column, no migration
    and no query. Keyed with SECRET_KEY, because a hash of the attempt id alone, a
    number the page shows, would let anyone with the source work out every attempt's
    order in advance. A new SECRET_KEY reorders open attempts; answers name options by
    id, so nothing sent is lost.
    """
    secret = current_app.secret_key
    key = secret if isinstance(secret, bytes) else str(secret).encode()
    return hmac.digest(key, b"quiz-option-order:%d" % attempt_id, "sha256")


def options_shown(attempt_id: int, questions: Sequence[Question]) -> dict[str, tuple[Option, ...]]:
    """Each question's options in the order this attempt shows them, by question id."""
    key = option_order_key(attempt_id)
    return {q.id: q.type.options_for_sheet(q, key) for q in questions}


def open_attempt(user_id: int, module: Module) -> QuizAttempt:
    """The trainee's unsubmitted attempt at this quiz version, or a new one with fresh questions.

    Reloading the quiz page therefore keeps the same questions. An open attempt whose
    questions were removed from the quiz gets a fresh draw (and loses its kept answers).
    During a wait (pacing) only an attempt opened before it began is shown; otherwise
    QuizWaiting.
    """
    quiz = _require_quiz(module)
    keys = {"user_id": user_id, "module_slug": module.slug, "module_version": module.version}
    attempt = db.session.scalar(queries.OPEN_ATTEMPT, keys)
    # After the look for an open attempt: if another tab's failed attempt was committed
    # just before it, this statement sees that failure too.
    wait = pacing.wait_for(user_id, module)
    if wait is not None and (attempt is None or pacing.opened_during(attempt, wait)):
        raise QuizWaiting(wait)
    if attempt is None:
        attempt = _insert_open_attempt(quiz, keys) or db.session.scalar(queries.OPEN_ATTEMPT, keys)
    if any(quiz.question(qid) is None for qid in attempt.question_ids):
        attempt.question_ids = draw_questions(quiz)
        attempt.answers = None
        db.session.flush()
    return attempt


def _insert_open_attempt(quiz: Quiz, keys: dict) -> QuizAttempt | None:
    """A new open attempt, or None when a simultaneous request (a double tap, a second
    tab) has just made it: the unique index on open attempts refuses a second one."""
    attempt = QuizAttempt(question_ids=draw_questions(quiz), **keys)
    try:
        with db.session.begin_nested():  # a savepoint: the failure undoes only this
            db.session.add(attempt)
    except IntegrityError:
        return None
    return attempt


def get_own_attempt(user_id: int, attempt_id: int) -> QuizAttempt:
    """The attempt, if it is this user's; otherwise 404 (never say that it exists)."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        raise NotFound(gettext("There is no such quiz attempt."))
    return attempt


def check_answers(
    quiz: Quiz, question_ids: list[str], answers: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """Keep only well-formed answers to the drawn questions; raise on anything else."""
    unknown = set(answers) - set(question_ids)
    if unknown:
        raise QuizError(
            gettext("The answers do not match the questions of this attempt. Please reload.")
        )
    checked: dict[str, list[str]] = {}
    unanswered = []
    for number, qid in enumerate(question_ids, start=1):
        question = quiz.question(qid)
        answer = question.type.read_answer(answers.get(qid, ()))
        problem = question.type.answer_problem(question, answer)
        if problem:
            raise QuizError(
                gettext("Question %(number)s %(problem)s", number=number, problem=problem)
            )
        if not answer:
            unanswered.append(number)
        checked[qid] = answer
    if unanswered:
        raise UnansweredQuestions(unanswered)
    return checked


def submit_attempt(user_id: int, attempt_id: int, answers: Mapping[str, list[str]]) -> QuizAttempt:
    """Grade and record an attempt exactly once.

    A second submission of the same attempt (a double click, a resent form, a
    concurrent request) changes nothing and returns the recorded result. An attempt
    opened after a wait began is not graded during the wait: QuizWaiting, with the
    answers kept on it.
    """
    attempt = get_own_attempt(user_id, attempt_id)
    if attempt.submitted:
        return attempt
    module = get_module(attempt.module_slug)
    quiz = _require_quiz(module)
    if attempt.module_version != module.version or any(
        quiz.question(qid) is None for qid in attempt.question_ids
    ):
        raise QuizChanged(
            gettext("This quiz was updated while you were answering. Please start again.")
        )
    wait = pacing.wait_for(user_id, module)
    if wait is not None and pacing.opened_during(attempt, wait):
        # kept for when the wait is over, as answers sent after the session had ended
        attempt.answers = kept_answers.well_formed_answers(quiz, attempt.question_ids, answers)
        raise QuizWaiting(wait)
    checked = check_answers(quiz, attempt.question_ids, answers)
    grade = grade_answers(quiz, attempt.question_ids, checked)
    recorded = dict(
        answers=checked,
        correct=grade.correct,
        score=grade.score,
        passed=grade.passed,
        submitted_at=utcnow(),
    )
    result = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(recorded)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # a simultaneous submission recorded it first: show that one
        db.session.refresh(attempt)
        return attempt
    set_committed_value = attributes.set_committed_value
    for name, value in recorded.items():  # what the UPDATE wrote, without reading it back
        set_committed_value(attempt, name, value)
    if grade.passed:
        progress.record_quiz_passed(user_id, module)
    return attempt


def attempts_for(user_id: int, module_slug: str) -> list[QuizAttempt]:
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .filter_by(user_id=user_id, module_slug=module_slug)
            .where(QuizAttempt.submitted_at.is_not(None))
            .order_by(QuizAttempt.submitted_at.desc())
        )
    )


def key_shown(user_id: int, module: Module, attempt: QuizAttempt) -> bool:
    """Whether the attempt's result page shows the right answers (the quiz's ``review``).

    ``after-pass``: once the trainee has passed the module's current version, whose
    questions the page shows; a pass of an earlier version opens nothing.
    """
    quiz = _require_quiz(module)
    if quiz.review != REVIEW_AFTER_SUCCESS:
        return quiz.review == REVIEW_ALWAYS
    if attempt.passed and attempt.module_version == module.version:
        return True
    keys = {"user_id": user_id, "module_slug": module.slug, "module_version": module.version}
    return bool(db.session.scalar(queries.PASSED_VERSION, keys))


# --- for item analysis (the trainer's figures per question) ----------------------------------


class FirstAttempt(NamedTuple):
    question_ids: list[str]
    answers: dict[str, list[str]]
    correct: dict[str, bool] | None  # None: submitted before it was recorded


class VersionWithAttempts(NamedTuple):
    module_slug: str
    module_version: str
    trainees: int  # who submitted an attempt: each one's first attempt is analysed
    attempts: int  # submitted attempts, retakes included


def first_attempts(module_slug: str, module_version: str) -> list[FirstAttempt]:
    """Each trainee's first submitted attempt at this quiz version, oldest first."""
    keys = {"module_slug": module_slug, "module_version": module_version}
    return [FirstAttempt(*row) for row in db.session.execute(queries.FIRST_ATTEMPTS, keys)]


def versions_with_attempts() -> list[VersionWithAttempts]:
    """Every quiz version someone submitted an attempt at, the latest attempted first."""
    return [VersionWithAttempts(*row) for row in db.session.execute(queries.VERSIONS_WITH_ATTEMPTS)]
