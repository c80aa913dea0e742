"""Progress's hot-path statements. The pages read progress on every request: statements
built once (SQLAlchemy then reuses their compiled form) and plain rows instead of ORM
objects halve the cost. services.py runs them by name."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from academy.modules.progress.models import LessonProgress, ModuleProgress

# A trainee's progress in every module, as plain rows.
PROGRESS_OF_USER = select(
    ModuleProgress.module_slug,
    ModuleProgress.last_lesson_slug,
    ModuleProgress.warning_accepted_at,
    ModuleProgress.quiz_passed_version,
    ModuleProgress.completed_at,
    ModuleProgress.completed_version,
).where(ModuleProgress.user_id == bindparam("user_id"))
# ... in one module.
PROGRESS_OF_MODULE = PROGRESS_OF_USER.where(ModuleProgress.module_slug == bindparam("module_slug"))
# (module, lesson) for every lesson the trainee studied.
STUDIED_OF_USER = select(LessonProgress.module_slug, LessonProgress.lesson_slug).where(
    LessonProgress.user_id == bindparam("user_id")
)
# The lessons studied in one module.
STUDIED_OF_MODULE = select(LessonProgress.lesson_slug).where(
    LessonProgress.user_id == bindparam("user_id"),
    LessonProgress.module_slug == bindparam("module_slug"),
)
