"""Invitations: registration is by invitation only (single use, expiring).

An invitation is a random token in a link. Only its SHA-256 hash is stored, so the
database alone cannot be used to register. Who may invite whom:

- trainers invite trainees;
- centre coordinators invite trainees for their own centre (the invitation carries the
  centre; after registering, the new trainee is offered to join it and must consent);
- admins invite every role.

The centres feature sits above accounts, so what invitations need to know about centres
comes from the directory it registers (``centre_directory.py``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from academy.core.clock import utcnow
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts import services as accounts
from academy.modules.accounts import single_use
from academy.modules.accounts.centre_directory import CentreOffer, centre_directory
from academy.modules.accounts.models import Invitation, Role, User

DEFAULT_DAYS_VALID = 14
MAX_DAYS_VALID = 90
MAX_TOKEN_LENGTH = 100
MAX_EMAIL_LENGTH = 254
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
# A link is spent after this many refused registration attempts: a person correcting a
# typo needs a few, someone probing with the link gets no more (docs/privacy.md).
MAX_FAILED_TRIES = 5
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Who may invite which roles.
INVITABLE: dict[Role, tuple[Role, ...]] = {
    Role.TRAINER: (Role.TRAINEE,),
    Role.CENTRE: (Role.TRAINEE,),
    Role.ADMIN: (Role.TRAINEE, Role.TRAINER, Role.CENTRE, Role.ADMIN),
}


class InvitationError(UserError):
    """An invitation that cannot be created or used; the message is for the user."""


class InvitationNotAllowed(InvitationError):
    """This person may not create this invitation (a 403)."""


class UnknownInvitation(InvitationError):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "This invitation link is not valid. Please check that you copied all of it, "
                "or ask the person who invited you for a new one."
            )
        )


class UsedInvitation(InvitationError):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "This invitation link has already been used. Each link works once. If you "
                "registered with it, please sign in; otherwise ask for a new link."
            )
        )


class ExpiredInvitation(InvitationError):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "This invitation link has expired. Please ask the person who invited you for "
                "a new one."
            )
        )


class TriedTooOften(InvitationError):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "This invitation link was tried too many times, so it no longer works. Please ask "
                "the person who invited you for a new one."
            )
        )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitable_roles(user: User) -> tuple[Role, ...]:
    """The roles this user may invite (none for trainees)."""
    return INVITABLE.get(Role(user.role), ())


def coordinator_centre_id(user_id: int) -> int | None:
    """The centre a coordinator works for (from the centres feature's directory)."""
    return centre_directory().coordinator_centre_id(user_id)


def centre_names(centre_ids: set[int]) -> dict[int, str]:
    return centre_directory().centre_names(centre_ids) if centre_ids else {}


def centre_offer(centre_id: int | None) -> CentreOffer | None:
    return None if centre_id is None else centre_directory().centre_offer(centre_id)


def create_invitation(
    by: User, role: Role | str, centre_id: int | None = None, days_valid: int = DEFAULT_DAYS_VALID
) -> tuple[Invitation, str]:
    """A new invitation and its token. The token is returned once and never stored.

    Raises InvitationNotAllowed when ``by`` may not invite ``role`` (or for that centre).
    """
    try:
        role = Role(role)
    except ValueError as error:
        raise InvitationError(gettext("There is no role '%(role)s'.", role=role)) from error
    if role not in invitable_roles(by):
        raise InvitationNotAllowed(f"You cannot invite someone as {role.value}.")
    if by.has_role(Role.CENTRE):
        own_centre = coordinator_centre_id(by.id)
        if own_centre is None:
            raise InvitationNotAllowed(
                "Your account is not linked to a centre yet. Please ask an administrator."
            )
        if centre_id is not None and centre_id != own_centre:
            raise InvitationNotAllowed("You can only invite people for your own centre.")
        centre_id = own_centre
    elif centre_id is not None and not (by.has_role(Role.ADMIN) and role == Role.TRAINEE):
        raise InvitationNotAllowed("Only a centre's coordinator invites people for a centre.")
    return issue_invitation(role, centre_id, days_valid, created_by_id=by.id)


def issue_invitation(
    role: Role | str,
    centre_id: int | None = None,
    days_valid: int = DEFAULT_DAYS_VALID,
    created_by_id: int | None = None,
) -> tuple[Invitation, str]:
    """Make the invitation without asking who may invite: for ``create_invitation`` after
    its checks, and for the command line (whoever runs it administers the server)."""
    if not 1 <= days_valid <= MAX_DAYS_VALID:
        raise InvitationError(
            gettext("An invitation is valid for 1 to %(max)s days.", max=MAX_DAYS_VALID)
        )
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = Invitation(
        token_hash=hash_token(token),
        role=Role(role).value,
        created_by_id=created_by_id,
        centre_id=centre_id,
        created_at=now,
        expires_at=now + timedelta(days=days_valid),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def check_invitation(token: str) -> Invitation:
    """The invitation this token opens; raises Unknown-, Used- or ExpiredInvitation."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise UnknownInvitation()
    invitation = db.session.scalar(select(Invitation).filter_by(token_hash=hash_token(token)))
    if invitation is None:
        raise UnknownInvitation()
    _raise_if_unusable(invitation)
    return invitation


def _raise_if_unusable(invitation: Invitation) -> None:
    if invitation.used_at is not None:
        raise UsedInvitation()
    if invitation.expires_at <= utcnow():
        raise ExpiredInvitation()
    if invitation.failed_tries >= MAX_FAILED_TRIES:
        raise TriedTooOften()


def count_failed_try(invitation: Invitation) -> int:
    """Count one refused registration attempt against the invitation; the tries left.

    One UPDATE adds to the stored count, so attempts in parallel (other workers) are all
    counted. The caller commits.
    """
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(failed_tries=Invitation.failed_tries + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(invitation)
    return max(MAX_FAILED_TRIES - invitation.failed_tries, 0)


def validate_email(email: str | None) -> str | None:
    """The optional e-mail address, tidied; None when left empty."""
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.match(email):
        raise UserError(
            gettext("This does not look like an e-mail address. You can also leave it empty."),
            "email",
        )
    return email


def redeem_invitation(
    token: str, username: str, password: str, display_name: str, email: str | None = None
) -> User:
    """Create the account this invitation allows, and use the invitation up.

    Single use holds under concurrency: the invitation is claimed with a conditional
    UPDATE (``used_at IS NULL AND expires_at > now``), and only the request whose UPDATE
    changed the row creates an account. The caller commits; on UserError the claim
    is undone (a savepoint) and the invitation stays usable.
    """
    invitation = check_invitation(token)
    email = validate_email(email)
    now = utcnow()
    with db.session.begin_nested():
        claimable = Invitation.failed_tries < MAX_FAILED_TRIES
        if not single_use.claim(Invitation, invitation.id, now, claimable):
            db.session.refresh(invitation)
            _raise_if_unusable(invitation)
            raise UsedInvitation()  # gone between the check and the claim
        try:
            user = accounts.create_user(username, password, Role(invitation.role), display_name)
        except IntegrityError as error:  # the same name, registered a moment earlier
            raise accounts.username_taken(username) from error
        user.email = email
        invitation.used_at = now
        invitation.used_by_id = user.id
        db.session.flush()
    return user


def register_openly(
    username: str, password: str, display_name: str, email: str | None = None
) -> User:
    """Open registration (only when ACADEMY_OPEN_REGISTRATION is on): always a trainee."""
    email = validate_email(email)
    try:
        with db.session.begin_nested():
            user = accounts.create_user(username, password, Role.TRAINEE, display_name)
            user.email = email
            db.session.flush()
    except IntegrityError as error:  # the same name, registered a moment earlier
        raise accounts.username_taken(username) from error
    return user


def open_invitations(viewer: User) -> list[Invitation]:
    """Unused, unexpired invitations: all of them for admins, one's own for others."""
    statement = (
        select(Invitation)
        .where(Invitation.used_at.is_(None), Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    if not viewer.has_role(Role.ADMIN):
        statement = statement.where(Invitation.created_by_id == viewer.id)
    return list(db.session.scalars(statement))


def revoke_invitation(viewer: User, invitation_id: int) -> None:
    """Delete an unused invitation; its link stops working. Admins revoke any."""
    invitation = db.session.get(Invitation, invitation_id) if 0 < invitation_id < 2**31 else None
    if (
        invitation is None
        or invitation.used_at is not None
        or not (viewer.has_role(Role.ADMIN) or invitation.created_by_id == viewer.id)
    ):
        raise NotFound(gettext("There is no such open invitation."))
    db.session.delete(invitation)
    db.session.flush()


def registration_url(path: str, default_base: str = DEFAULT_BASE_URL) -> str:
    """The full link to send: ACADEMY_BASE_URL (else ``default_base``) and the path."""
    base = str(current_app.config.get("ACADEMY_BASE_URL") or default_base).rstrip("/")
    return f"{base}{path}"


def _audit_cutoff() -> datetime:
    return utcnow() - timedelta(days=int(current_app.config["ACADEMY_AUDIT_LOG_DAYS"]))


def prune_invitations(dry_run: bool = False) -> int:
    """Delete invitations nobody can use any more: unused and expired, or used longer ago
    than the audit log's retention (who invited whom is audit data)."""
    now = utcnow()
    finished = or_(
        and_(Invitation.used_at.is_(None), Invitation.expires_at <= now),
        Invitation.used_at < _audit_cutoff(),
    )
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(Invitation).where(finished))
    result = db.session.execute(
        delete(Invitation).where(finished).execution_options(synchronize_session=False)
    )
    return result.rowcount
