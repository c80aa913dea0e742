"""What progress holds about a person, for the data export (see academy/core/data_rights.py).

Deleting the account deletes these rows (ON DELETE CASCADE); nothing to erase first.
"""

from __future__ import annotations

from flask import Flask

from academy.core.data_rights import register_exporter, rows_exporter
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


def register(app: Flask) -> None:
    register_exporter(app, "lesson_progress", rows_exporter(LessonProgress, LESSON_FIELDS))
    register_exporter(app, "module_progress", rows_exporter(ModuleProgress, MODULE_FIELDS))
