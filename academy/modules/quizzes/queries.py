"""The quizzes' hot-path statements, built once (SQLAlchemy reuses their compiled form);
services.py runs them by name."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from academy.modules.quizzes.models import QuizAttempt

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
