"""Pacing: after failed attempts in a row, the next try at a quiz opens later.

A quiz sets ``fails_before_wait`` (N, default 3) and ``wait_hours`` (H, default 24; 0
turns pacing off) in its front matter. When the newest N attempts a trainee sent at the
quiz's current version all failed, the next attempt opens H hours after the last of
them, and so after every further failure, until the trainee passes. Three things end
the run of failures: a passed attempt, a new version of the module, and a trainer's
lift (a ``QuizWaitLift``: attempts sent before it no longer count).

Only trainees are paced. The services refuse to open an attempt during a wait; an
attempt that was already open when the wait began is still shown and graded: nothing a
trainee typed is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import aliased

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.content.model import Lesson, Module
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.quiz_waits import QuizWait
from academy.modules.accounts.models import User
from academy.modules.quizzes import queries
from academy.modules.quizzes.models import QuizAttempt, QuizWaitLift


def wait_for(user_id: int, module: Module) -> QuizWait | None:
    """The wait before this trainee's next attempt at the module's quiz, if one is in
    force now: one statement, and a second for what to reread when there is a wait."""
    quiz = module.quiz
    if quiz is None or quiz.wait_hours == 0 or not _paced(user_id):
        return None
    keys = {"user_id": user_id, "module_slug": module.slug, "module_version": module.version}
    # On the connection, not through the ORM session: plain rows, and a third of the
    # cost on the quiz page and the submission path, where it runs every time.
    counted = (
        db.session.connection()
        .execute(queries.COUNTED_ATTEMPTS, keys | {"count": quiz.fails_before_wait})
        .all()
    )
    if len(counted) < quiz.fails_before_wait or any(row.passed for row in counted):
        return None
    since = counted[0].submitted_at
    opens_at = since + timedelta(hours=quiz.wait_hours)
    if utcnow() >= opens_at:
        return None
    reread = _to_reread(module, [row.id for row in counted])
    return QuizWait(opens_at=opens_at, since=since, reread=reread)


def _paced(user_id: int) -> bool:
    """Only trainees wait: trainers, coordinators and admins take quizzes to preview
    them, and nobody could lift their wait. The signed-in user is in the session
    already, so this costs no statement."""
    user = db.session.get(User, user_id)
    return user is not None and user.is_trainee


def _to_reread(module: Module, attempt_ids: Sequence[int]) -> tuple[Lesson, ...]:
    """The lessons named by ``reread=`` of the questions these attempts got wrong."""
    attempts = db.session.execute(
        select(QuizAttempt.question_ids, QuizAttempt.answers).where(QuizAttempt.id.in_(attempt_ids))
    )
    slugs = set()
    for question_ids, answers in attempts:
        answers = answers or {}
        for question_id in question_ids:
            question = module.quiz.question(question_id)
            if question is None or question.reread is None:
                continue
            if not question.type.grade(question, answers.get(question_id, [])):
                slugs.add(question.reread)
    return tuple(lesson for lesson in module.lessons if lesson.slug in slugs)


def opened_during(attempt: QuizAttempt, wait: QuizWait) -> bool:
    """Whether the attempt was opened after the wait began (two tabs at the moment the
    last failed attempt was sent); one opened before is shown and graded as usual."""
    return attempt.started_at >= wait.since


def waits_for(user_id: int) -> list[tuple[Module, QuizWait]]:
    """Every quiz this trainee is waiting for, in the catalogue's order (trainer page)."""
    found = []
    for module in current_catalogue().modules.values():
        wait = wait_for(user_id, module)
        if wait is not None:
            found.append((module, wait))
    return found


def lift_wait(trainee: User, module: Module, by: User) -> QuizWaitLift:
    """A trainer lifts the trainee's wait: the next attempt opens now, and the failures
    before count no more. Recorded with who and when."""
    if wait_for(trainee.id, module) is None:
        raise UserError(
            gettext(
                "%(name)s is not waiting for the quiz of %(module)s.",
                name=trainee.display_name,
                module=module.title,
            )
        )
    lift = QuizWaitLift(
        user_id=trainee.id,
        module_slug=module.slug,
        module_version=module.version,
        lifted_by_id=by.id,
    )
    db.session.add(lift)
    db.session.flush()
    return lift


def lifts_for(user_id: int) -> list[tuple[QuizWaitLift, str | None]]:
    """The trainee's lifted waits, newest first, each with the display name of the
    trainer who lifted it (None once that account is deleted)."""
    trainer = aliased(User)
    rows = db.session.execute(
        select(QuizWaitLift, trainer.display_name)
        .outerjoin(trainer, trainer.id == QuizWaitLift.lifted_by_id)
        .where(QuizWaitLift.user_id == user_id)
        .order_by(QuizWaitLift.lifted_at.desc(), QuizWaitLift.id.desc())
    )
    return [(lift, name) for lift, name in rows]
