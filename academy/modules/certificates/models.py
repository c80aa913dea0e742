from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.clock import utcnow
from academy.core.extensions import db


class Certificate(db.Model):
    """A certificate as issued. Holder name and subject are copies, so the certificate
    still says what it said when the content or the display name changes later."""

    __tablename__ = "certificates"
    # One unrevoked certificate per holder, subject and content version: issuing "once"
    # is a database fact, whatever races happen above it. A revoked one leaves room for
    # the new certificate (a new code) that re-earning the subject issues.
    __table_args__ = (
        Index(
            "uq_certificates_unrevoked_subject",
            "user_id",
            "kind",
            "subject_slug",
            "subject_version",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

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
    # When a newer certificate for the same holder and subject (another content version,
    # after a refresher) took this one's place; it no longer counts from then.
    replaced_at: Mapped[datetime | None]
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


class ModuleVersion(db.Model):
    """When the app first loaded each module version. A version that asks to recertify
    gives holders of earlier ones ``ACADEMY_RENEWAL_DAYS`` from this moment to renew."""

    __tablename__ = "module_versions"

    module_slug: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
