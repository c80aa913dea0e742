"""The lesson_progress and module_progress tables: what each trainee has studied and
completed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from generate_plan import DataSet
from generate_settings import LEARNER_MODULE, MODULE_ORDER, QUIZ_MODULE
from generate_users import NamedAccounts
from generate_writer import Writer


def _progress_rows(
    data: DataSet, trainee_id: int, completed: int, started: datetime, rng: random.Random
) -> tuple[list[tuple], list[tuple]]:
    """lesson_progress and module_progress rows for someone who completed the first
    ``completed`` modules and is half-way through the next one."""
    lessons: list[tuple] = []
    modules: list[tuple] = []
    moment = started
    for index, slug in enumerate(MODULE_ORDER):
        module = data.modules[slug]
        if index > completed:
            break
        done = index < completed
        studied = module.lessons if done else module.lessons[: len(module.lessons) // 2]
        warning = moment if module.content_warning else None
        for lesson in studied:
            moment += timedelta(minutes=rng.randint(5, 60 * 24))
            lessons.append((trainee_id, slug, lesson.slug, min(moment, data.now)))
        last = studied[-1].slug if studied else None
        passed = min(moment + timedelta(hours=1), data.now) if done else None
        modules.append(
            (
                trainee_id,
                slug,
                last,
                warning,
                started,
                passed,
                module.version if done else None,
                passed,
                module.version if done else None,
            )
        )
    return lessons, modules


LESSON_COLUMNS = ("id", "user_id", "module_slug", "lesson_slug", "studied_at")
MODULE_COLUMNS = (
    "id",
    "user_id",
    "module_slug",
    "last_lesson_slug",
    "warning_accepted_at",
    "started_at",
    "quiz_passed_at",
    "quiz_passed_version",
    "completed_at",
    "completed_version",
)


def write_progress(writer: Writer, data: DataSet, named: NamedAccounts, rng: random.Random) -> int:
    def people() -> Iterator[tuple[int, int, datetime]]:
        for trainee in data.trainees:
            yield trainee.id, trainee.completed, trainee.started_at
        start = data.now - timedelta(days=200)
        yield named.learner, MODULE_ORDER.index(LEARNER_MODULE), start
        yield named.graduate, len(MODULE_ORDER), start
        for quiz_user in named.quiz_users:
            # peer-role done, every lesson of the quiz module studied (below)
            yield quiz_user, 1, start

    lesson_rows: list[tuple] = []
    module_rows: list[tuple] = []
    for user_id, completed, started in people():
        lessons, modules = _progress_rows(data, user_id, completed, started, rng)
        lesson_rows += lessons
        module_rows += modules
    quiz_module = data.modules[QUIZ_MODULE]
    for quiz_user in named.quiz_users:
        moment = data.now - timedelta(days=10)
        lesson_rows += [(quiz_user, QUIZ_MODULE, le.slug, moment) for le in quiz_module.lessons]
        module_rows.append(
            (quiz_user, QUIZ_MODULE, quiz_module.lessons[-1].slug, None, moment)
            + (None, None, None, None)
        )
    count = writer.insert(
        "lesson_progress",
        LESSON_COLUMNS,
        (
            (i, *row)
            for i, row in zip(
                data.ids("lesson_progress", len(lesson_rows)), lesson_rows, strict=True
            )
        ),
    )
    count += writer.insert(
        "module_progress",
        MODULE_COLUMNS,
        (
            (i, *row)
            for i, row in zip(
                data.ids("module_progress", len(module_rows)), module_rows, strict=True
            )
        ),
    )
    return count
