"""A person with data in every feature, for the privacy tests (imported by name)."""

from __future__ import annotations

from dataclasses import dataclass

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts.models import Role, User
from academy.modules.centres import coordinators, membership
from academy.modules.centres.models import Centre
from academy.modules.certificates import services as certificates
from academy.modules.certificates.models import Certificate
from academy.modules.progress import services as progress
from academy.modules.quizzes import pacing
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.models import QuizAttempt
from tests.modules.practice.helpers import observe


@dataclass
class Person:
    user: User
    certificate: Certificate
    attempt: QuizAttempt
    centre: Centre


def complete_module(user: User, slug: str = "basics") -> QuizAttempt:
    """Study every lesson and pass the quiz, as the trainee would: a certificate follows."""
    module = current_catalogue().modules[slug]
    for lesson in module.lessons:
        progress.mark_lesson_studied(user.id, module, lesson)
    attempt = quizzes.open_attempt(user.id, module)
    answers = {qid: sorted(module.quiz.question(qid).correct_ids) for qid in attempt.question_ids}
    attempt = quizzes.submit_attempt(user.id, attempt.id, answers)
    db.session.commit()
    return attempt


def lift_a_wait(user: User, trainer: User, slug: str = "advanced") -> None:
    """Fail the quiz until the next attempt must wait, and have the trainer lift it."""
    module = current_catalogue().modules[slug]
    for _ in range(module.quiz.fails_before_wait):
        attempt = quizzes.open_attempt(user.id, module)
        wrong = {qid: ["2"] for qid in attempt.question_ids}  # "No": every one is wrong
        quizzes.submit_attempt(user.id, attempt.id, wrong)
    pacing.lift_wait(user, module, by=trainer)


def seed_person(
    make_user,
    trainer: User,
    username: str,
    display_name: str,
    centre_name: str,
    email: str | None = None,
) -> Person:
    """A trainee who studied, passed, holds a certificate, has an observed session and a
    suspension with a trainer's note, had a wait before a quiz lifted, shares with a
    centre and checked a code."""
    user = make_user(Role.TRAINEE, username, display_name)
    user.email = email
    attempt = complete_module(user)
    certificate = db.session.scalars(db.select(Certificate).filter_by(user_id=user.id)).first()
    observe(user, trainer, not_yet=("crisis-rule",), note=f"practice note about {display_name}")
    certificates.suspend(user, f"suspension note about {display_name}", by=trainer)
    lift_a_wait(user, trainer)
    coordinator = make_user(Role.CENTRE)
    centre = coordinators.create_centre(centre_name, coordinator)
    membership.join_centre(user, centre.invite_code, consent=True)
    certificates.verify_code(certificate.code, via="page", user_id=user.id)
    db.session.commit()
    return Person(user, certificate, attempt, centre)
