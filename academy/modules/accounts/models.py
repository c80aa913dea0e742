from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.clock import utcnow
from academy.core.extensions import db


class Role(StrEnum):
    TRAINEE = "trainee"
    TRAINER = "trainer"
    CENTRE = "centre"
    ADMIN = "admin"


def new_session_nonce() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.TRAINEE.value)
    # Part of the session cookie; changing it signs out every session of this user.
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)
    email: Mapped[str | None] = mapped_column(String(254))  # optional, never required
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_active_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Sign-in throttling: consecutive failures and the back-off they earned.
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    # Optional TOTP second factor (trainer, centre, admin).
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]  # the last accepted time step, so a code works once

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in {role.value for role in roles}

    # Named role checks, for templates: no role spelled as a string outside Role.
    @property
    def is_trainee(self) -> bool:
        return self.role == Role.TRAINEE

    @property
    def is_trainer(self) -> bool:
        return self.role == Role.TRAINER

    @property
    def is_centre_coordinator(self) -> bool:
        return self.role == Role.CENTRE

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class Invitation(db.Model):
    """A single-use, expiring invitation to register. Only a hash of its token is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16), default=Role.TRAINEE.value)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # An invitation from a centre's coordinator; joining the centre still needs consent.
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Refused registration attempts; enough of them spend the link (invitations.py).
    failed_tries: Mapped[int] = mapped_column(default=0)


class RecoveryKind(StrEnum):
    PASSWORD = "password"  # noqa: S105 - the kind of recovery (a reset link), not a secret
    SECOND_FACTOR = "second_factor"  # an admin cleared the two-step sign-in


class AccountRecovery(db.Model):
    """A way back into an account, given by someone responsible for its holder: a
    password reset link (single use, expiring; only its token's hash is stored) or an
    admin's reset of the second factor. The row is also the audit record of who gave it
    (pruned with the audit log, recovery.py)."""

    __tablename__ = "account_recoveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A reset link only: its token's SHA-256 and when it stops working.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None]
    # When the link was used (or, for a second-factor reset, when it was done).
    used_at: Mapped[datetime | None]
