"""Courses: what a trainee may study now, composed from content and progress."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from werkzeug.exceptions import NotFound

from academy.core.catalogue import current_catalogue, get_module
from academy.core.content.model import Lesson, Module
from academy.modules.accounts.models import Role, User
from academy.modules.progress import services as progress
from academy.modules.progress.services import ModuleStatus


@dataclass(frozen=True)
class CatalogueEntry:
    status: ModuleStatus
    missing: tuple[Module, ...]  # prerequisites still to complete

    @property
    def module(self) -> Module:
        return self.status.module

    @property
    def locked(self) -> bool:
        return bool(self.missing)

    @property
    def warning_pending(self) -> bool:
        """The module has a content warning the trainee has not yet chosen to continue past."""
        return bool(self.module.content_warning) and not self.status.warning_accepted


def bypasses_locks(user: User) -> bool:
    """Trainers and admins preview every module; locks guide trainees."""
    return user.has_role(Role.TRAINER, Role.ADMIN)


def catalogue_entries(user: User) -> list[CatalogueEntry]:
    statuses = progress.module_statuses(user.id)
    done = {slug for slug, status in statuses.items() if status.completed}
    return [
        CatalogueEntry(status=status, missing=_missing_prerequisites(user, status.module, done))
        for status in statuses.values()
    ]


def module_entry(user: User, module_slug: str) -> CatalogueEntry:
    module = get_module(module_slug)
    status, done = progress.module_standing(user.id, module)
    return CatalogueEntry(status=status, missing=_missing_prerequisites(user, module, done))


def _missing_prerequisites(user: User, module: Module, done: set[str]) -> tuple[Module, ...]:
    """Prerequisites still to complete, in the order the author listed them."""
    if bypasses_locks(user):
        return ()
    modules = current_catalogue().modules
    return tuple(modules[slug] for slug in module.prerequisites if slug not in done)


def get_lesson(module: Module, lesson_slug: str) -> Lesson:
    lesson = module.lesson(lesson_slug)
    if lesson is None:
        raise NotFound(
            gettext(
                "The module '%(module)s' has no lesson '%(lesson)s'.",
                module=module.title,
                lesson=lesson_slug,
            )
        )
    return lesson


def neighbours(module: Module, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    index = module.lessons.index(lesson)
    previous = module.lessons[index - 1] if index > 0 else None
    following = module.lessons[index + 1] if index + 1 < len(module.lessons) else None
    return previous, following


QUIZ_STEP = "quiz"


def step_after_warning(entry: CatalogueEntry, then: str | None) -> Lesson | str | None:
    """Where "Continue" on the content warning leads: the lesson named by ``then``, the
    quiz (``QUIZ_STEP``), or else the place to resume; None if the module has no lessons."""
    if then == QUIZ_STEP and entry.module.quiz is not None:
        return QUIZ_STEP
    lesson = entry.module.lesson(then) if then else None
    if lesson is not None:
        return lesson
    if entry.status.resume_lesson is not None:
        return entry.status.resume_lesson
    return entry.module.lessons[0] if entry.module.lessons else None
