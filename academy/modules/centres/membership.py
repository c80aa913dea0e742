"""Membership and consent: a peer joins a centre with its invite code and so shares their
certification status with it, until they withdraw.

Privacy rule for everything in centres: a centre sees a peer only while that peer's
consent is given and not withdrawn, and then only their display name and certificate
status — never progress, quiz answers or scores, nor why a peer is paused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from academy.core.clock import utcnow
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts.models import Role, User
from academy.modules.centres import queries
from academy.modules.centres.coordinators import normalise_invite_code
from academy.modules.centres.models import Centre, Membership
from academy.modules.certificates import services as certificates


def join_centre(user: User, invite_code: str, consent: bool) -> Centre:
    """Join the centre with this invite code, sharing certification status with it.

    Consent must be explicit. Joining again after withdrawing gives consent anew.
    """
    if not user.has_role(Role.TRAINEE):
        raise UserError(gettext("Only peers in training can join a centre."))
    if not consent:
        raise UserError(
            gettext(
                "Please tick the box to agree to share your certification status with the centre."
            ),
            field="consent",
        )
    code = normalise_invite_code(invite_code)
    centre = db.session.scalar(select(Centre).filter_by(invite_code=code)) if code else None
    if centre is None:
        raise UserError(
            gettext("No centre has this invite code. Please check it with your coordinator."),
            field="invite_code",
        )
    membership = db.session.scalar(
        select(Membership).filter_by(centre_id=centre.id, user_id=user.id)
    )
    if membership is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    Membership(centre_id=centre.id, user_id=user.id, consent_given_at=utcnow())
                )
        except IntegrityError:
            pass  # the same form arrived twice at once; one membership is enough
    elif membership.withdrawn_at is None:
        raise UserError(
            gettext(
                "You already share your certification status with %(centre)s.",
                centre=centre.name,
            ),
            field="invite_code",
        )
    else:
        membership.consent_given_at = utcnow()
        membership.withdrawn_at = None
    db.session.flush()
    return centre


def withdraw_consent(user: User, centre_id: int) -> Centre:
    """Stop sharing with this centre; from now on it sees nothing of this peer."""
    membership = active_membership(centre_id, user.id)
    if membership is None:
        raise NotFound(gettext("You do not share your certification status with this centre."))
    membership.withdrawn_at = utcnow()
    return db.session.get(Centre, centre_id)


def centres_of(user: User) -> list[Centre]:
    """The centres this peer currently shares their certification status with."""
    return list(
        db.session.scalars(
            select(Centre)
            .join(Membership)
            .where(Membership.user_id == user.id, Membership.withdrawn_at.is_(None))
            .order_by(Centre.name)
        )
    )


def active_membership(centre_id: int, user_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).filter_by(centre_id=centre_id, user_id=user_id, withdrawn_at=None)
    )


@dataclass(frozen=True)
class RosterEntry:
    id: int
    display_name: str
    since: datetime
    paused: bool


def roster(centre: Centre) -> list[RosterEntry]:
    """Consenting peers, with when they gave consent and whether they are paused."""
    rows = queries.sharing_peers_since(centre.id)
    paused = certificates.paused_user_ids([row.id for row in rows])
    return [
        RosterEntry(row.id, row.display_name, row.consent_given_at, row.id in paused)
        for row in rows
    ]
