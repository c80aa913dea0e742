"""The quizzes' hot-path statements, built once (SQLAlchemy reuses their compiled form);
services.py and pacing.py run them by name."""

from __future__ import annotations

from sqlalchemy import bindparam, exists, func, select

from academy.modules.quizzes.models import QuizAttempt, QuizWaitLift

# The trainee's unsubmitted attempt at one quiz version: every quiz page looks for it.
OPEN_ATTEMPT = (
    select(QuizAttempt)
    .where(
        QuizAttempt.user_id == bindparam("user_id"),
        QuizAttempt.module_slug == bindparam("module_slug"),
        QuizAttempt.module_version == bindparam("module_version"),
        QuizAttempt.submitted_at.is_(None),
    )
    .order_by(QuizAttempt.id.desc())
    .limit(1)
)

# Pacing: the newest ``count`` attempts sent at one quiz version that a trainer's lift
# has not wiped out (sent after the newest lift). One statement on the submission path,
# through the (user_id, module_slug) indexes of both tables; plain rows of three small
# columns (the answers are read only when a wait is in force).
COUNTED_ATTEMPTS = (
    select(QuizAttempt.id, QuizAttempt.passed, QuizAttempt.submitted_at)
    .where(
        QuizAttempt.user_id == bindparam("user_id"),
        QuizAttempt.module_slug == bindparam("module_slug"),
        QuizAttempt.module_version == bindparam("module_version"),
        QuizAttempt.submitted_at.is_not(None),
        ~exists().where(
            QuizWaitLift.user_id == QuizAttempt.user_id,
            QuizWaitLift.module_slug == QuizAttempt.module_slug,
            QuizWaitLift.lifted_at >= QuizAttempt.submitted_at,
        ),
    )
    .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
    .limit(bindparam("count"))
)

# Whether the trainee has passed one quiz version: the result page's full review.
PASSED_VERSION = select(
    exists().where(
        QuizAttempt.user_id == bindparam("user_id"),
        QuizAttempt.module_slug == bindparam("module_slug"),
        QuizAttempt.module_version == bindparam("module_version"),
        QuizAttempt.passed.is_(True),
    )
)

SUBMITTED = QuizAttempt.submitted_at.is_not(None)

# Item analysis: each trainee's first submitted attempt at one quiz version (attempts of
# one trainee and version are opened, and so numbered, one after the other), with only
# the columns the figures need.
FIRST_ATTEMPTS = (
    select(QuizAttempt.question_ids, QuizAttempt.answers, QuizAttempt.correct)
    .where(
        QuizAttempt.id.in_(
            select(func.min(QuizAttempt.id))
            .where(
                QuizAttempt.module_slug == bindparam("module_slug"),
                QuizAttempt.module_version == bindparam("module_version"),
                SUBMITTED,
            )
            .group_by(QuizAttempt.user_id)
        )
    )
    .order_by(QuizAttempt.id)
)

# Item analysis: the quiz versions with submitted attempts, the newest activity first
# (the highest id); all from the index on submitted attempts.
VERSIONS_WITH_ATTEMPTS = (
    select(
        QuizAttempt.module_slug,
        QuizAttempt.module_version,
        func.count(QuizAttempt.user_id.distinct()).label("trainees"),
        func.count().label("attempts"),
    )
    .where(SUBMITTED)
    .group_by(QuizAttempt.module_slug, QuizAttempt.module_version)
    .order_by(QuizAttempt.module_slug, func.max(QuizAttempt.id).desc())
)
