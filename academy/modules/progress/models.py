from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.clock import utcnow
from academy.core.extensions import db


class LessonProgress(db.Model):
    """A lesson a trainee marked as studied. The unique constraint makes "once" a fact."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_slug", "lesson_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(100))
    lesson_slug: Mapped[str] = mapped_column(String(200))
    studied_at: Mapped[datetime] = mapped_column(default=utcnow)


class ModuleProgress(db.Model):
    """Where a trainee is in a module: the place to resume, the quiz pass, completion."""

    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(100))
    last_lesson_slug: Mapped[str | None] = mapped_column(String(200))
    # The trainee read the module's content warning and chose to continue.
    warning_accepted_at: Mapped[datetime | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    quiz_passed_at: Mapped[datetime | None]
    quiz_passed_version: Mapped[str | None] = mapped_column(String(40))
    completed_at: Mapped[datetime | None]
    completed_version: Mapped[str | None] = mapped_column(String(40))
