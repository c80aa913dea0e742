"""A way back in: password reset links and second-factor resets.

There is no e-mail by design, so a trainee who forgot their password asks a person who
is responsible for them for a reset link:

- a trainer, for any trainee;
- a coordinator, for a trainee who shares with their centre (consent given, not
  withdrawn: the centres feature answers through the centre directory);
- an admin, for anyone but themselves.

A link works once and expires after ``ACADEMY_RESET_LINK_HOURS``. Like an invitation,
only the SHA-256 hash of its random token is stored, so the database alone opens
nothing, and the token is shown once to the person who made it. Using it sets a new
password (the rules and Argon2id hashing of registration), ends every session of the
account and spends every open link for it. An admin can also clear a lost second factor;
the holder sets it up again if their role requires it. Each recovery is a row naming who
gave it, kept as long as the audit log.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import aliased
from werkzeug.exceptions import NotFound

from academy.core.clock import utcnow
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts import services, single_use, two_factor
from academy.modules.accounts.centre_directory import centre_directory
from academy.modules.accounts.invitations import MAX_TOKEN_LENGTH, hash_token
from academy.modules.accounts.models import AccountRecovery, RecoveryKind, Role, User

DEFAULT_LINK_HOURS = 72
MAX_LINK_HOURS = 24 * 30


class UnusableResetLink(UserError):
    """Unknown, used, expired or replaced: one message for all, so a guess learns nothing."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "This reset link does not work. It may be used already, too old, or not copied "
                "completely. Please ask your trainer or your centre's coordinator for a new one."
            )
        )


def _no_such_account() -> NotFound:
    # The same answer for an id that does not exist and one the person may not help:
    # a coordinator learns nothing about trainees who do not share with their centre.
    return NotFound(gettext("There is no such account you can make a reset link for."))


def link_hours() -> int:
    hours = int(current_app.config.get("ACADEMY_RESET_LINK_HOURS") or DEFAULT_LINK_HOURS)
    return min(max(hours, 1), MAX_LINK_HOURS)


def may_issue_reset_link(by: User, user: User) -> bool:
    """Whether ``by`` may make a password reset link for ``user`` (see the docstring)."""
    if by.id == user.id:
        return False  # one's own password is changed on the account page
    if by.has_role(Role.ADMIN):
        return True
    if not user.has_role(Role.TRAINEE):
        return False
    if by.has_role(Role.TRAINER):
        return True
    if by.has_role(Role.CENTRE):
        directory = centre_directory()
        centre_id = directory.coordinator_centre_id(by.id)
        return centre_id is not None and directory.shares_with(centre_id, user.id)
    return False


def reset_target(by: User, user_id: int) -> User:
    """The account ``by`` may make a reset link for; a 404 for every other id."""
    user = db.session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None or not may_issue_reset_link(by, user):
        raise _no_such_account()
    return user


def issue_reset_link(by: User, user: User) -> tuple[AccountRecovery, str]:
    """A new reset link for ``user`` and its token, returned once and never stored.

    Older open links for the account stop working: only the newest one is out there.
    The caller commits.
    """
    if not may_issue_reset_link(by, user):
        raise _no_such_account()
    now = utcnow()
    _spend_open_links(user.id, now)
    token = secrets.token_urlsafe(32)
    link = AccountRecovery(
        kind=RecoveryKind.PASSWORD.value,
        user_id=user.id,
        issued_by_id=by.id,
        created_at=now,
        token_hash=hash_token(token),
        expires_at=now + timedelta(hours=link_hours()),
    )
    db.session.add(link)
    db.session.flush()
    return link, token


def _spend_open_links(user_id: int, now: datetime) -> None:
    db.session.execute(
        update(AccountRecovery)
        .where(
            AccountRecovery.user_id == user_id,
            AccountRecovery.kind == RecoveryKind.PASSWORD.value,
            AccountRecovery.used_at.is_(None),
            AccountRecovery.expires_at > now,
        )
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )


def check_reset_link(token: str) -> AccountRecovery:
    """The open link this token belongs to; UnusableResetLink otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise UnusableResetLink()
    link = db.session.scalar(
        select(AccountRecovery).filter_by(
            token_hash=hash_token(token), kind=RecoveryKind.PASSWORD.value
        )
    )
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        raise UnusableResetLink()
    return link


def reset_password(token: str, new_password: str) -> User:
    """Set the account's new password with this link, and spend the link.

    Single use holds under concurrency: the link is claimed with a conditional UPDATE,
    and only the request that changed the row sets the password. Every session of the
    account ends. On UserError (a password the rules refuse) the claim is undone (a
    savepoint) and the link still works. The caller commits.
    """
    link = check_reset_link(token)
    services.validate_password(new_password)
    now = utcnow()
    with db.session.begin_nested():
        if not single_use.claim(AccountRecovery, link.id, now):
            raise UnusableResetLink()  # used a moment ago, in another request
        link.used_at = now
        user = db.session.get(User, link.user_id)
        services.set_password(user, new_password)  # a new session nonce: all sessions end
        user.failed_sign_ins = 0  # the holder is back: earlier guesses lock nothing
        user.locked_until = None
        _spend_open_links(user.id, now)  # one made in parallel with this one
        db.session.flush()
    return user


# --- the second factor ----------------------------------------------------------------------


def second_factor_target(by: User, user_id: int) -> User:
    """An account whose second factor ``by`` (an admin) may clear: not their own."""
    user = db.session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None or user.id == by.id or not by.has_role(Role.ADMIN):
        raise NotFound(gettext("There is no such account."))
    return user


def reset_second_factor(by: User, user: User) -> None:
    """Clear ``user``'s second factor (or a set-up they never finished), end their
    sessions and record who did it. If their role requires two-step sign-in, they set
    it up again at their next sign-in. The caller commits."""
    second_factor_target(by, user.id)
    if user.totp_secret is None:
        raise UserError(gettext("%(name)s has no two-step sign-in to reset.", name=user.username))
    two_factor.clear(user)
    services.end_all_sessions(user)
    now = utcnow()
    db.session.add(
        AccountRecovery(
            kind=RecoveryKind.SECOND_FACTOR.value,
            user_id=user.id,
            issued_by_id=by.id,
            created_at=now,
            used_at=now,
        )
    )
    db.session.flush()


# --- the audit record -----------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryEntry:
    kind: str
    created_at: datetime
    state: str  # "used", "open", "expired" (a link) or "done" (a second-factor reset)
    username: str
    issued_by: str | None  # None when the issuer's account is gone


def _state(row: AccountRecovery, now: datetime) -> str:
    if row.kind == RecoveryKind.SECOND_FACTOR.value:
        return "done"
    if row.used_at is not None:
        return "used"
    return "open" if row.expires_at > now else "expired"


def recent_recoveries(limit: int = 50) -> list[RecoveryEntry]:
    """The newest recoveries, for admins: who gave which to whom, and when."""
    issuer = aliased(User)
    rows = db.session.execute(
        select(AccountRecovery, User.username, issuer.username)
        .join(User, User.id == AccountRecovery.user_id)
        .outerjoin(issuer, issuer.id == AccountRecovery.issued_by_id)
        .order_by(AccountRecovery.created_at.desc(), AccountRecovery.id.desc())
        .limit(limit)
        .execution_options(populate_existing=True)
    )
    now = utcnow()
    return [
        RecoveryEntry(row.kind, row.created_at, _state(row, now), username, issued_by)
        for row, username, issued_by in rows
    ]


def export_recoveries(user_id: int) -> list[dict]:
    """The person's own recoveries (kind and times; not the token hash)."""
    rows = db.session.scalars(
        select(AccountRecovery).filter_by(user_id=user_id).order_by(AccountRecovery.id)
    )
    return [
        {
            "kind": row.kind,
            "created_at": row.created_at,
            "expires_at": row.expires_at,
            "used_at": row.used_at,
        }
        for row in rows
    ]


def prune_recoveries(dry_run: bool = False) -> int:
    """Delete recoveries past the audit log's retention that nobody can use any more."""
    cutoff = utcnow() - timedelta(days=int(current_app.config["ACADEMY_AUDIT_LOG_DAYS"]))
    finished = and_(
        AccountRecovery.created_at < cutoff,
        or_(AccountRecovery.used_at.is_not(None), AccountRecovery.expires_at <= utcnow()),
    )
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(AccountRecovery).where(finished))
    result = db.session.execute(
        delete(AccountRecovery).where(finished).execution_options(synchronize_session=False)
    )
    return result.rowcount
