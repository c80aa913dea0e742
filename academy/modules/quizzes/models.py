from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.clock import utcnow
from academy.core.extensions import db


class QuizAttempt(db.Model):
    """One try at a module's quiz: opened with a drawn set of questions, then submitted once."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        Index("ix_quiz_attempts_user_module", "user_id", "module_slug"),
        # One open attempt per trainee and quiz version, however many tabs open it at
        # once; ``services.open_attempt`` falls back to the winner's row.
        Index(
            "uq_quiz_attempts_open",
            "user_id",
            "module_slug",
            "module_version",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
        # Item analysis finds each trainee's first submitted attempt at a quiz version
        # through it, and counts the versions' attempts from it alone (queries.py).
        Index(
            "ix_quiz_attempts_submitted_version",
            "module_slug",
            "module_version",
            "user_id",
            "id",
            sqlite_where=text("submitted_at IS NOT NULL"),
            postgresql_where=text("submitted_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(100))
    module_version: Mapped[str] = mapped_column(String(40))
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    answers: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    # Question id -> answered right, as graded when submitted. Item analysis reads it, so
    # an older version's figures outlive its content. None while open, and for attempts
    # submitted before migration 0006 (item analysis grades those with the loaded quiz).
    correct: Mapped[dict[str, bool] | None] = mapped_column(JSON)
    score: Mapped[int | None]
    passed: Mapped[bool | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class QuizWaitLift(db.Model):
    """A trainer lifted a trainee's wait before their next try at a quiz (pacing).

    Failed attempts submitted before ``lifted_at`` no longer count towards a wait. Kept
    as the record of who lifted it and when; the trainer's id becomes NULL when the
    trainer's account is deleted, the row goes with the trainee's.
    """

    __tablename__ = "quiz_wait_lifts"
    __table_args__ = (Index("ix_quiz_wait_lifts_user_module", "user_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(100))
    module_version: Mapped[str] = mapped_column(String(40))  # the version then, for the record
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lifted_at: Mapped[datetime] = mapped_column(default=utcnow)
