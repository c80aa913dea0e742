"""What quizzes hold about a person, for the data export (see academy/core/data_rights.py).

Deleting the account deletes the attempts and the lifted waits (ON DELETE CASCADE);
nothing to erase first. A wait a trainer lifted for someone else stays with that
person, without the trainer (ON DELETE SET NULL), as attestations do.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from academy.core.data_rights import register_exporter, serialise_row
from academy.core.extensions import db
from academy.modules.quizzes.models import QuizAttempt, QuizWaitLift

ATTEMPT_FIELDS = (
    "module_slug",
    "module_version",
    "question_ids",
    "answers",
    "correct",
    "score",
    "passed",
    "started_at",
    "submitted_at",
)
# Who lifted it is the trainer's record of their work, as for attestations.
LIFT_FIELDS = ("module_slug", "module_version", "lifted_at")


def export_quiz_attempts(user_id: int) -> list[dict]:
    rows = db.session.scalars(
        select(QuizAttempt).filter_by(user_id=user_id).order_by(QuizAttempt.id)
    )
    return [serialise_row(row, ATTEMPT_FIELDS) for row in rows]


def export_quiz_wait_lifts(user_id: int) -> list[dict]:
    rows = db.session.scalars(
        select(QuizWaitLift).filter_by(user_id=user_id).order_by(QuizWaitLift.id)
    )
    return [serialise_row(row, LIFT_FIELDS) for row in rows]


def register(app: Flask) -> None:
    register_exporter(app, "quiz_attempts", export_quiz_attempts)
    register_exporter(app, "quiz_wait_lifts", export_quiz_wait_lifts)
