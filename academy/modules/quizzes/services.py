"""Quizzes: drawing questions, checking and grading answers, recording attempts."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import attributes
from werkzeug.exceptions import NotFound

from academy.core.catalogue import get_module
from academy.core.clock import utcnow
from academy.core.content.model import Module, Quiz
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.progress import services as progress
from academy.modules.quizzes import queries
from academy.modules.quizzes.models import QuizAttempt


class QuizError(UserError):
    """An answer sheet that cannot be graded; the message says what to do."""


class UnansweredQuestions(QuizError):
    def __init__(self, numbers: list[int]) -> None:
        listed = ", ".join(str(n) for n in numbers)
        noun = "question" if len(numbers) == 1 else "questions"
        super().__init__(f"Please answer {noun} {listed}. Your other answers are kept.")
        self.numbers = numbers


class QuizChanged(QuizError):
    """The quiz was updated while the trainee was answering."""


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
        raise NotFound(f"The module {module.title!r} has no quiz.")
    return module.quiz


def draw_questions(quiz: Quiz) -> list[str]:
    ids = [q.id for q in quiz.questions]
    if quiz.draw is None or quiz.draw >= len(ids):
        return ids
    drawn = set(secrets.SystemRandom().sample(ids, quiz.draw))
    return [qid for qid in ids if qid in drawn]  # keep the author's order


def open_attempt(user_id: int, module: Module) -> QuizAttempt:
    """The trainee's unsubmitted attempt at this quiz version, or a new one with fresh questions.

    Reloading the quiz page therefore keeps the same questions. An open attempt whose
    questions were removed from the quiz gets a fresh draw (and loses its kept answers).
    """
    quiz = _require_quiz(module)
    keys = {"user_id": user_id, "module_slug": module.slug, "module_version": module.version}
    attempt = db.session.scalar(queries.OPEN_ATTEMPT, keys)
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
        raise NotFound("There is no such quiz attempt.")
    return attempt


def check_answers(
    quiz: Quiz, question_ids: list[str], answers: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """Keep only well-formed answers to the drawn questions; raise on anything else."""
    unknown = set(answers) - set(question_ids)
    if unknown:
        raise QuizError("The answers do not match the questions of this attempt. Please reload.")
    checked: dict[str, list[str]] = {}
    unanswered = []
    for number, qid in enumerate(question_ids, start=1):
        question = quiz.question(qid)
        answer = question.type.read_answer(answers.get(qid, ()))
        problem = question.type.answer_problem(question, answer)
        if problem:
            raise QuizError(f"Question {number} {problem}")
        if not answer:
            unanswered.append(number)
        checked[qid] = answer
    if unanswered:
        raise UnansweredQuestions(unanswered)
    return checked


def submit_attempt(user_id: int, attempt_id: int, answers: Mapping[str, list[str]]) -> QuizAttempt:
    """Grade and record an attempt exactly once.

    A second submission of the same attempt (a double click, a resent form, a
    concurrent request) changes nothing and returns the recorded result.
    """
    attempt = get_own_attempt(user_id, attempt_id)
    if attempt.submitted:
        return attempt
    module = get_module(attempt.module_slug)
    quiz = _require_quiz(module)
    if attempt.module_version != module.version or any(
        quiz.question(qid) is None for qid in attempt.question_ids
    ):
        raise QuizChanged("This quiz was updated while you were answering. Please start again.")
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
