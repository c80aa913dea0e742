"""Self-service data rights and retention for accounts.

- export: everything held about a person, gathered from every feature through
  academy/core/data_rights.py;
- deletion: every feature's eraser runs, then the user row goes (the database's
  ON DELETE CASCADE / SET NULL rules take the rest);
- retention: accounts inactive for ACADEMY_INACTIVE_DAYS are listed for admins, and
  ``last_active_at`` is kept current (at most one write per user and hour).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, request
from flask_login import current_user
from sqlalchemy import func, select

from academy.core import data_rights
from academy.core.clock import utcnow
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts import invitations, recovery
from academy.modules.accounts.models import Invitation, Role, User
from academy.modules.accounts.services import password_hasher

# last_active_at moves at most this often: one write per user and hour, not per request.
TOUCH_INTERVAL = timedelta(hours=1)

# Never the password hash, the TOTP secret or the session nonce.
ACCOUNT_FIELDS = (
    "username",
    "display_name",
    "email",
    "role",
    "created_at",
    "last_active_at",
    "failed_sign_ins",
    "locked_until",
    "totp_enabled_at",
)


def export_account(user_id: int) -> dict:
    user = db.session.get(User, user_id)
    data = data_rights.serialise_row(user, ACCOUNT_FIELDS)
    data["two_factor_enabled"] = user.totp_enabled_at is not None
    return data


def export_invitations(user_id: int) -> dict:
    """The invitation this person registered with, and the ones they created (without
    whom they invited: that is someone else's data)."""
    fields = ("role", "created_at", "expires_at", "used_at")
    used = db.session.scalars(select(Invitation).filter_by(used_by_id=user_id))
    created = db.session.scalars(
        select(Invitation).filter_by(created_by_id=user_id).order_by(Invitation.id)
    )
    return {
        "registered_with": [data_rights.serialise_row(row, fields) for row in used],
        "created": [data_rights.serialise_row(row, fields) for row in created],
    }


def export_data(user: User) -> dict:
    """The download: a short explanation, then every feature's data about this person."""
    return {
        "about": (
            "Everything Peer Academy holds about your account, as of exported_at (UTC). "
            "Passwords are stored only as a one-way hash, which is left out."
        ),
        "exported_at": utcnow().isoformat(timespec="seconds"),
        **data_rights.export_user_data(user.id),
    }


def change_email(user: User, email: str | None) -> None:
    """Set or (when empty) remove the optional e-mail address."""
    user.email = invitations.validate_email(email)


def password_matches(user: User, password: str) -> bool:
    try:
        return password_hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def admin_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User).filter_by(role="admin"))


def delete_account(user: User) -> None:
    """Erase this person's data and delete the account. The caller commits.

    Certificates stay, revoked and without a name, so checking their codes says
    "revoked — holder closed their account". The last admin cannot be deleted.
    """
    if user.has_role(Role.ADMIN) and admin_count() <= 1:
        raise UserError(
            "This is the last admin account, so it cannot be deleted. Please make another "
            "account an admin first."
        )
    data_rights.erase_user_data(user.id)
    db.session.delete(user)
    db.session.flush()
    # Rows the database changed (cascades, SET NULL) may be cached in the session.
    db.session.expire_all()


# --- retention ----------------------------------------------------------------------------


def inactive_days() -> int:
    return int(current_app.config["ACADEMY_INACTIVE_DAYS"])


def audit_log_days() -> int:
    return int(current_app.config["ACADEMY_AUDIT_LOG_DAYS"])


def inactive_cutoff() -> datetime:
    return utcnow() - timedelta(days=inactive_days())


def inactive_accounts() -> list[User]:
    """Accounts not used for ACADEMY_INACTIVE_DAYS, longest inactive first."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.last_active_at < inactive_cutoff())
            .order_by(User.last_active_at, User.id)
        )
    )


def is_inactive(user: User) -> bool:
    return user.last_active_at < inactive_cutoff()


def counts_by_role() -> dict[str, int]:
    rows = db.session.execute(select(User.role, func.count()).group_by(User.role))
    counts = {role.value: 0 for role in Role}
    counts.update({role: count for role, count in rows})
    return counts


def find_accounts(query: str, limit: int = 50) -> list[User]:
    """Accounts whose sign-in or display name contains ``query``, for admins helping
    someone back in; nothing for an empty query."""
    words = query.strip().lower()
    if not words:
        return []
    pattern = f"%{words}%"
    return list(
        db.session.scalars(
            select(User)
            .where(User.username.like(pattern) | func.lower(User.display_name).like(pattern))
            .order_by(User.username)
            .limit(limit)
        )
    )


def touch_last_active() -> None:
    """A before_request hook: keep ``last_active_at`` current for retention.

    On the hot path of every request, so it only compares in Python and writes at most
    once an hour per user. Static files and the API (token-authenticated, it never reads
    the session) are skipped.
    """
    if request.endpoint in (None, "static") or request.blueprint == "api":
        return
    if not current_user.is_authenticated:
        return
    now = utcnow()
    last = current_user.last_active_at
    if last is None or now - last >= TOUCH_INTERVAL:
        current_user.last_active_at = now
        db.session.commit()


def register(app: Flask) -> None:
    data_rights.register_exporter(app, "account", export_account)
    data_rights.register_exporter(app, "invitations", export_invitations)
    data_rights.register_exporter(app, "account_recoveries", recovery.export_recoveries)
    data_rights.register_pruner(
        app, "invitations expired unused, or used past retention", invitations.prune_invitations
    )
    data_rights.register_pruner(
        app, "reset links and second-factor resets past retention", recovery.prune_recoveries
    )
