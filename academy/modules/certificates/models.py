from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.clock import utcnow
from academy.core.extensions import db


class Certificate(db.Model):
    """A certificate as issued. Holder name and subject are copies, so the certificate
    still says what it said when the content or the display name changes later."""

    __tablename__ = "certificates"
    # One certificate per holder, subject and content version: issuing "once" is a
    # database fact, whatever races happen above it.
    __table_args__ = (UniqueConstraint("user_id", "kind", "subject_slug", "subject_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    holder_name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))  # "module" or "path"
    subject_slug: Mapped[str] = mapped_column(String(100))
    subject_title: Mapped[str] = mapped_column(String(200))
    subject_version: Mapped[str] = mapped_column(String(40))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    renewed_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # Never shown outside: verification says "revoked" and the date, not why.
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Position in the published status lists (revocation, suspension), drawn at random
    # so that a position says nothing about when or to whom a certificate was issued.
    status_index: Mapped[int] = mapped_column(unique=True)


class Pause(db.Model):
    """A pause of a peer's availability: taken by the peer (no reason asked) or a
    suspension by a trainer (with a private note). While one is open, the peer is
    cleared for no task and verification says "paused"."""

    __tablename__ = "pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "self" or "trainer"
    note: Mapped[str | None] = mapped_column(Text)  # trainer's private note; never shown outside
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
