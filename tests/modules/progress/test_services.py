"""Progress: studied lessons, resuming, and completing a module exactly once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.core.signals import module_completed
from academy.modules.progress import services as progress
from academy.modules.progress.models import LessonProgress
from tests import (
    pass_quiz,
    study_all_lessons,
)


@pytest.fixture
def basics(app):
    return current_catalogue().modules["basics"]


@pytest.fixture
def completions():
    """Every module_completed signal sent during the test, as (user id, slug, version)."""
    received = []

    def receiver(sender, module_slug, module_version):
        received.append((sender, module_slug, module_version))

    with module_completed.connected_to(receiver):
        yield received


def lesson_rows(user_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(LessonProgress).filter_by(user_id=user_id)
    )


def test_marking_a_lesson_twice_records_it_once(trainee, basics):
    first = basics.lessons[0]

    progress.mark_lesson_studied(trainee.id, basics, first)
    progress.mark_lesson_studied(trainee.id, basics, first)
    db.session.commit()

    assert lesson_rows(trainee.id) == 1
    status = progress.module_status(trainee.id, basics)
    assert status.studied == {"first-steps"}
    assert status.lessons_done == 1


def test_a_new_trainee_has_started_nothing(trainee, basics):
    status = progress.module_status(trainee.id, basics)

    assert not status.started
    assert status.percent == 0
    assert status.resume_lesson == basics.lessons[0]
    assert not status.completed


def test_resuming_starts_at_the_first_unstudied_lesson_after_the_last_opened(trainee, basics):
    first, second = basics.lessons

    progress.record_lesson_opened(trainee.id, basics, second)
    assert progress.module_status(trainee.id, basics).resume_lesson == second

    progress.mark_lesson_studied(trainee.id, basics, second)
    # nothing unstudied after the last lesson: back to the first gap
    assert progress.module_status(trainee.id, basics).resume_lesson == first

    progress.mark_lesson_studied(trainee.id, basics, first)
    assert progress.module_status(trainee.id, basics).resume_lesson is None


def test_studying_every_lesson_does_not_complete_a_module_with_a_quiz(trainee, basics, completions):
    study_all_lessons(trainee.id, "basics")

    status = progress.module_status(trainee.id, basics)
    assert status.all_lessons_studied
    assert not status.quiz_passed
    assert not status.completed
    assert status.percent == 67
    assert progress.completed_module_slugs(trainee.id) == set()
    assert completions == []


def test_passing_the_quiz_without_the_lessons_does_not_complete_the_module(
    trainee, basics, completions
):
    pass_quiz(trainee.id, "basics")

    status = progress.module_status(trainee.id, basics)
    assert status.quiz_passed
    assert not status.completed
    assert completions == []


@pytest.mark.parametrize("quiz_first", [False, True], ids=["lessons-first", "quiz-first"])
def test_lessons_and_quiz_together_complete_the_module_in_either_order(
    trainee, basics, completions, quiz_first
):
    if quiz_first:
        pass_quiz(trainee.id, "basics")
        study_all_lessons(trainee.id, "basics")
    else:
        study_all_lessons(trainee.id, "basics")
        pass_quiz(trainee.id, "basics")

    status = progress.module_status(trainee.id, basics)
    assert status.completed
    assert status.percent == 100
    assert progress.completed_module_slugs(trainee.id) == {"basics"}
    assert completions == [(trainee.id, "basics", "1.0")]


def test_complete_module_if_done_completes_and_announces_only_once(trainee, basics, completions):
    study_all_lessons(trainee.id, "basics")
    pass_quiz(trainee.id, "basics")  # this completes the module
    assert len(completions) == 1

    assert progress.complete_module_if_done(trainee.id, basics) is False
    assert progress.complete_module_if_done(trainee.id, basics) is False
    progress.mark_lesson_studied(trainee.id, basics, basics.lessons[0])
    db.session.commit()

    assert completions == [(trainee.id, "basics", "1.0")]


def test_complete_module_if_done_returns_true_for_the_call_that_completes(
    trainee, basics, completions
):
    pass_quiz(trainee.id, "basics")
    for lesson in basics.lessons:  # studied, without the check that mark_lesson_studied runs
        db.session.add(
            LessonProgress(user_id=trainee.id, module_slug="basics", lesson_slug=lesson.slug)
        )
    db.session.flush()
    assert completions == []

    assert progress.complete_module_if_done(trainee.id, basics) is True
    assert progress.complete_module_if_done(trainee.id, basics) is False
    assert completions == [(trainee.id, "basics", "1.0")]


def test_progress_belongs_to_one_trainee(make_user, trainee, basics):
    other = make_user()
    study_all_lessons(trainee.id, "basics")
    pass_quiz(trainee.id, "basics")

    assert progress.completed_module_slugs(other.id) == set()
    other_status = progress.module_status(other.id, basics)
    assert other_status.studied == frozenset()
    assert not other_status.quiz_passed


def test_module_statuses_cover_every_module_in_catalogue_order(trainee):
    study_all_lessons(trainee.id, "basics")

    statuses = progress.module_statuses(trainee.id)

    assert list(statuses) == ["basics", "advanced"]
    assert statuses["basics"].all_lessons_studied
    assert statuses["advanced"].studied == frozenset()
