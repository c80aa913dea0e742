"""What quizzes hold about a person, for the data export (see academy/core/data_rights.py).

Deleting the account deletes the attempts (ON DELETE CASCADE); nothing to erase first.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from academy.core.data_rights import register_exporter, serialise_row
from academy.core.extensions import db
from academy.modules.quizzes.models import QuizAttempt

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


def export_quiz_attempts(user_id: int) -> list[dict]:
    rows = db.session.scalars(
        select(QuizAttempt).filter_by(user_id=user_id).order_by(QuizAttempt.id)
    )
    return [serialise_row(row, ATTEMPT_FIELDS) for row in rows]


def register(app: Flask) -> None:
    register_exporter(app, "quiz_attempts", export_quiz_attempts)
