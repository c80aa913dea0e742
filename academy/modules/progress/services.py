"""Progress: which lessons a trainee studied, where to resume, and when a module is complete."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.content.model import Lesson, Module
from academy.core.extensions import db
from academy.core.signals import module_completed
from academy.modules.progress import queries
from academy.modules.progress.models import LessonProgress, ModuleProgress


@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    studied: frozenset[str]
    quiz_passed: bool  # the quiz of the current content version
    completed: bool  # at any content version: enough to open the modules that build on it
    current: bool  # completed at the current content version
    last_lesson_slug: str | None
    warning_accepted: bool = False  # read the content warning and chose to continue

    @property
    def lessons_done(self) -> int:
        return sum(1 for lesson in self.module.lessons if lesson.slug in self.studied)

    @property
    def all_lessons_studied(self) -> bool:
        return self.lessons_done == len(self.module.lessons)

    @property
    def percent(self) -> int:
        steps = len(self.module.lessons) + (1 if self.module.quiz else 0)
        done = self.lessons_done + (1 if self.quiz_passed and self.module.quiz else 0)
        return round(100 * done / steps) if steps else 100

    @property
    def started(self) -> bool:
        return bool(self.studied) or self.last_lesson_slug is not None

    @property
    def resume_lesson(self) -> Lesson | None:
        """The first lesson not yet studied after the last one opened, else the first unstudied."""
        lessons = self.module.lessons
        unstudied = [lesson for lesson in lessons if lesson.slug not in self.studied]
        if not unstudied:
            return None
        slugs = [lesson.slug for lesson in lessons]
        if self.last_lesson_slug in slugs:
            start = slugs.index(self.last_lesson_slug)
            later = [le for le in unstudied if slugs.index(le.slug) >= start]
            if later:
                return later[0]
        return unstudied[0]


def _get_or_create_module_progress(user_id: int, module_slug: str) -> ModuleProgress:
    query = select(ModuleProgress).filter_by(user_id=user_id, module_slug=module_slug)
    progress = db.session.scalar(query)
    if progress is not None:
        return progress
    try:
        with db.session.begin_nested():
            progress = ModuleProgress(user_id=user_id, module_slug=module_slug)
            db.session.add(progress)
    except IntegrityError:  # created by a simultaneous request
        progress = db.session.scalar(query)
    return progress


def record_lesson_opened(user_id: int, module: Module, lesson: Lesson) -> None:
    """Remember the place, so the trainee can resume here."""
    progress = _get_or_create_module_progress(user_id, module.slug)
    progress.last_lesson_slug = lesson.slug


def record_place(user_id: int, status: ModuleStatus, lesson: Lesson) -> bool:
    """Remember the lesson as the place to resume unless it already is (re-reading a
    lesson writes nothing). True if there is something to commit."""
    if status.last_lesson_slug == lesson.slug:
        return False
    record_lesson_opened(user_id, status.module, lesson)
    return True


def accept_content_warning(user_id: int, module: Module) -> None:
    """Remember that the trainee read the module's content warning and chose to continue,
    so lessons open directly from now on, on every device."""
    progress = _get_or_create_module_progress(user_id, module.slug)
    if progress.warning_accepted_at is None:
        progress.warning_accepted_at = utcnow()


def mark_lesson_studied(user_id: int, module: Module, lesson: Lesson) -> None:
    exists = db.session.scalar(
        select(LessonProgress.id).filter_by(
            user_id=user_id, module_slug=module.slug, lesson_slug=lesson.slug
        )
    )
    if exists is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    LessonProgress(
                        user_id=user_id, module_slug=module.slug, lesson_slug=lesson.slug
                    )
                )
        except IntegrityError:
            pass  # the same click arrived twice; once is enough
    record_lesson_opened(user_id, module, lesson)
    complete_module_if_done(user_id, module)


def record_quiz_passed(user_id: int, module: Module) -> None:
    """Record a pass of the module's current quiz version.

    A pass of a module already complete at this version is a refresher: it sends
    ``module_completed`` again, so its certificate is renewed.
    """
    progress = _get_or_create_module_progress(user_id, module.slug)
    progress.quiz_passed_at = utcnow()
    progress.quiz_passed_version = module.version
    was_current = progress.completed_version == module.version
    status = _status(module, _studied(user_id, module), progress)
    if not _complete_if_done(user_id, status) and was_current:
        module_completed.send(user_id, module_slug=module.slug, module_version=module.version)


def complete_module_if_done(user_id: int, module: Module) -> bool:
    """Mark the module complete at its current version when every lesson is studied and
    the quiz of this version passed.

    Returns True only for the one call that completed it; that call sends
    ``module_completed``. The conditional UPDATE makes this safe under concurrency.
    """
    return _complete_if_done(user_id, module_status(user_id, module))


def _complete_if_done(user_id: int, status: ModuleStatus) -> bool:
    module = status.module
    if status.current or not status.all_lessons_studied:
        return False
    if module.quiz is not None and not status.quiz_passed:
        return False
    result = db.session.execute(
        update(ModuleProgress)
        .where(
            ModuleProgress.user_id == user_id,
            ModuleProgress.module_slug == module.slug,
            or_(
                ModuleProgress.completed_version.is_(None),
                ModuleProgress.completed_version != module.version,
            ),
        )
        .values(completed_at=utcnow(), completed_version=module.version)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        return False
    module_completed.send(user_id, module_slug=module.slug, module_version=module.version)
    return True


def module_statuses(user_id: int) -> dict[str, ModuleStatus]:
    """The status of every loaded module for one trainee, in two queries."""
    studied: dict[str, set[str]] = {}
    rows = db.session.execute(queries.STUDIED_OF_USER, {"user_id": user_id})
    for module_slug, lesson_slug in rows:
        studied.setdefault(module_slug, set()).add(lesson_slug)
    progress = _progress_rows(user_id)
    return {
        slug: _status(module, studied.get(slug, set()), progress.get(slug))
        for slug, module in current_catalogue().modules.items()
    }


def module_status(user_id: int, module: Module) -> ModuleStatus:
    keys = {"user_id": user_id, "module_slug": module.slug}
    progress = db.session.execute(queries.PROGRESS_OF_MODULE, keys).first()
    return _status(module, _studied(user_id, module), progress)


def module_standing(user_id: int, module: Module) -> tuple[ModuleStatus, set[str]]:
    """The status of one module and the slugs of every completed module (to check its
    prerequisites), in two queries: what a lesson or quiz page needs."""
    progress = _progress_rows(user_id)
    status = _status(module, _studied(user_id, module), progress.get(module.slug))
    return status, _completed(progress)


def _progress_rows(user_id: int) -> dict[str, Row]:
    rows = db.session.execute(queries.PROGRESS_OF_USER, {"user_id": user_id})
    return {row.module_slug: row for row in rows}


def _studied(user_id: int, module: Module) -> set[str]:
    keys = {"user_id": user_id, "module_slug": module.slug}
    return set(db.session.scalars(queries.STUDIED_OF_MODULE, keys))


def _status(
    module: Module, studied: set[str], progress: Row | ModuleProgress | None
) -> ModuleStatus:
    return ModuleStatus(
        module=module,
        studied=frozenset(studied),
        quiz_passed=progress is not None and progress.quiz_passed_version == module.version,
        completed=progress is not None and progress.completed_at is not None,
        current=progress is not None and progress.completed_version == module.version,
        last_lesson_slug=progress.last_lesson_slug if progress else None,
        warning_accepted=progress is not None and progress.warning_accepted_at is not None,
    )


def completed_module_slugs(user_id: int) -> set[str]:
    return _completed(_progress_rows(user_id))


def _completed(progress: dict[str, Row]) -> set[str]:
    return {slug for slug, row in progress.items() if row.completed_at is not None}
