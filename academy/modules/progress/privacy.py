"""What progress holds about a person, for the data export (see academy/core/data_rights.py).

Deleting the account deletes these rows (ON DELETE CASCADE); nothing to erase first.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from academy.core.data_rights import register_exporter, serialise_row
from academy.core.extensions import db
from academy.modules.progress.models import LessonProgress, ModuleProgress

LESSON_FIELDS = ("module_slug", "lesson_slug", "studied_at")
MODULE_FIELDS = (
    "module_slug",
    "started_at",
    "last_lesson_slug",
    "warning_accepted_at",
    "quiz_passed_at",
    "quiz_passed_version",
    "completed_at",
    "completed_version",
)


def export_lesson_progress(user_id: int) -> list[dict]:
    rows = db.session.scalars(
        select(LessonProgress).filter_by(user_id=user_id).order_by(LessonProgress.id)
    )
    return [serialise_row(row, LESSON_FIELDS) for row in rows]


def export_module_progress(user_id: int) -> list[dict]:
    rows = db.session.scalars(
        select(ModuleProgress).filter_by(user_id=user_id).order_by(ModuleProgress.id)
    )
    return [serialise_row(row, MODULE_FIELDS) for row in rows]


def register(app: Flask) -> None:
    register_exporter(app, "lesson_progress", export_lesson_progress)
    register_exporter(app, "module_progress", export_module_progress)
