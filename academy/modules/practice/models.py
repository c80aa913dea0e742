from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.clock import utcnow
from academy.core.extensions import db


class ObservationSession(db.Model):
    """A trainer observed a trainee in one practice scenario of a certificate path.

    Path and scenario are the ids in curricula.yml, kept as written, so a session still
    says what it was when the curriculum changes. A session carried over from the former
    single practice attestation names the attestation's id as its scenario and has no
    results: what was observed was not recorded."""

    __tablename__ = "observation_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path_slug: Mapped[str] = mapped_column(String(100))
    scenario_id: Mapped[str] = mapped_column(String(100))
    observed_on: Mapped[date]
    # Private: trainers and admins see it, centres never; the trainee's data download
    # includes it (right of access).
    note: Mapped[str] = mapped_column(Text, default="")
    observed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ObservationResult(db.Model):
    """One criterion of a session's checklist: met, or not yet. A criterion without a
    result in a session was not recorded (a carried-over attestation, or a criterion
    added to the checklist later); it never counts as met."""

    __tablename__ = "observation_results"
    __table_args__ = (UniqueConstraint("session_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("observation_sessions.id", ondelete="CASCADE")
    )
    criterion_id: Mapped[str] = mapped_column(String(100))
    met: Mapped[bool]
