from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
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
    revoked_at: Mapped[datetime | None]
