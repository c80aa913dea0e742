"""What quizzes hold about a person, for the data export (see academy/core/data_rights.py).

Deleting the account deletes the attempts and the lifted waits (ON DELETE CASCADE);
nothing to erase first. A wait a trainer lifted for someone else stays with that
person, without the trainer (ON DELETE SET NULL), as attestations do.
"""

from __future__ import annotations

from flask import Flask

from academy.core.data_rights import register_exporter, rows_exporter
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


def register(app: Flask) -> None:
    register_exporter(app, "quiz_attempts", rows_exporter(QuizAttempt, ATTEMPT_FIELDS))
    register_exporter(app, "quiz_wait_lifts", rows_exporter(QuizWaitLift, LIFT_FIELDS))
