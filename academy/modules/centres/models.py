from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.clock import utcnow
from academy.core.extensions import db


class Centre(db.Model):
    __tablename__ = "centres"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # Given by the coordinator to peers who want to share their certification status.
    invite_code: Mapped[str] = mapped_column(String(20), unique=True)
    # Where this centre's peers get support; shown on every lesson page.
    support_contact: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CentreFact(db.Model):
    """One local fact a centre's coordinator filled in (its emergency number, how
    expenses are paid back): shown in the lessons of the peers who share with it. The
    names are those of ``academy.core.content.facts.FACTS``; plain text, never markup."""

    __tablename__ = "centre_facts"
    __table_args__ = (UniqueConstraint("centre_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(500))


class Coordinator(db.Model):
    """A user with the role ``centre`` working for one centre."""

    __tablename__ = "centre_coordinators"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)


class Membership(db.Model):
    """A peer who joined a centre. The centre sees their certification status only
    while consent is given and not withdrawn."""

    __tablename__ = "centre_memberships"
    __table_args__ = (UniqueConstraint("centre_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    consent_given_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]


class Task(db.Model):
    """Something a centre assigns to peers, with the certificates it requires."""

    __tablename__ = "centre_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TaskRequirement(db.Model):
    """One requirement of a task: a module certificate or a path certificate (which
    includes the path's observed practice)."""

    __tablename__ = "centre_task_requirements"
    __table_args__ = (UniqueConstraint("task_id", "kind", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("centre_tasks.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))  # "module" or "path"
    ref: Mapped[str] = mapped_column(String(200))


class ApiToken(db.Model):
    """A coordinator's API token. Only its SHA-256 hash is stored."""

    __tablename__ = "centre_api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown so a coordinator can tell tokens apart
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class VerificationLogEntry(db.Model):
    """An audit record of one certificate check (page or API)."""

    __tablename__ = "verification_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    code: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(12))
    via: Mapped[str] = mapped_column(String(8))  # "page" or "api"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="CASCADE"), index=True
    )
