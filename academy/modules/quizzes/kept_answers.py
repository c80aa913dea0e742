"""Quiz answers sent after the session ended are kept with the open attempt.

A session can end while a quiz page is open (the idle or absolute timeout, a sign-out
on another device). The sheet then arrives without a signed-in user; instead of
throwing the answers away, they are stored on the open attempt, and the quiz page shows
them filled in once the trainee has signed in again.

Only the page that showed the attempt can do that: it carries an attempt token, signed
with ``SECRET_KEY`` and naming the attempt and its owner. A signed-out request without
the token of exactly that attempt writes nothing, so nobody can put answers into
someone else's attempt, and another site cannot either (it never sees the token).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import update

from academy.core.catalogue import current_catalogue
from academy.core.content.model import Quiz
from academy.core.extensions import db
from academy.core.sessions import now_seconds
from academy.modules.quizzes.models import QuizAttempt

SIGNED_ATTEMPT_FIELD = "attempt_token"
# A quiz tab may stay open overnight or over a weekend on a phone.
TOKEN_MAX_AGE = timedelta(days=7)
_SALT = "quiz-attempt-kept-answers"


class _ClockSigner(TimestampSigner):
    """Dates tokens by ``academy.core.clock``, like the session timeouts (tests move it)."""

    def get_timestamp(self) -> int:
        return now_seconds()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT, signer=_ClockSigner)


def attempt_token(attempt: QuizAttempt) -> str:
    """The token the quiz page carries: this attempt of this user, signed and dated."""
    return _serializer().dumps([attempt.id, attempt.user_id])


def _attempt_named_by(token: str, attempt_id: int) -> QuizAttempt | None:
    """The open attempt ``attempt_id`` if the token is valid and names exactly it."""
    try:
        named = _serializer().loads(token, max_age=int(TOKEN_MAX_AGE.total_seconds()))
    except BadSignature:  # also a token past its age (SignatureExpired)
        return None
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.submitted or named != [attempt.id, attempt.user_id]:
        return None
    return attempt


def well_formed_answers(
    quiz: Quiz, question_ids: list[str], answers: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """What can be shown again on the sheet: answers to the drawn questions that their
    type accepts (options they have, one for a single-choice question); anything else
    is left out."""
    kept = {}
    for qid in question_ids:
        question = quiz.question(qid)
        if question is None:
            continue
        answer = question.type.read_answer(answers.get(qid, ()))
        if answer and question.type.answer_problem(question, answer) is None:
            kept[qid] = answer
    return kept


def keep_signed_out_answers(
    attempt_id: int, token: str, answers: Mapping[str, list[str]]
) -> QuizAttempt | None:
    """Store the answers on the open attempt the token names; None (nothing stored) when
    the token does not name that open attempt or the quiz has changed since."""
    attempt = _attempt_named_by(token, attempt_id)
    if attempt is None:
        return None
    module = current_catalogue().modules.get(attempt.module_slug)
    if module is None or module.quiz is None or module.version != attempt.module_version:
        return None
    kept = well_formed_answers(module.quiz, attempt.question_ids, answers)
    db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(answers=kept)
        .execution_options(synchronize_session=False)
    )
    return attempt
