"""Centres and their coordinators: creating a centre, its invite code, and which centre a
coordinator works for."""

from __future__ import annotations

import secrets

from flask_babel import gettext
from sqlalchemy import select
from werkzeug.exceptions import Forbidden, NotFound

from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts.models import Role, User
from academy.modules.centres.models import Centre, Coordinator

MAX_CENTRE_NAME_LENGTH = 120
# No 0/O, 1/I/L: invite codes are read aloud and typed from paper.
INVITE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
INVITE_LENGTH = 10


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


def format_invite_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_invite_code(text: str) -> str:
    """Case, spaces and dashes do not matter when a peer types the code."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")


def create_centre(name: str, coordinator: User) -> Centre:
    """Create a centre with a fresh invite code and make ``coordinator`` its coordinator."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_CENTRE_NAME_LENGTH:
        raise UserError(
            gettext("A centre name has 1 to %(max)s characters.", max=MAX_CENTRE_NAME_LENGTH)
        )
    if db.session.scalar(select(Centre.id).filter_by(name=name)) is not None:
        raise UserError(gettext("A centre called '%(name)s' already exists.", name=name))
    centre = Centre(name=name, invite_code=new_invite_code())
    db.session.add(centre)
    db.session.flush()
    add_coordinator(centre, coordinator)
    return centre


def add_coordinator(centre: Centre, user: User) -> Coordinator:
    if not user.has_role(Role.CENTRE):
        raise UserError(
            gettext(
                "'%(name)s' needs the role 'centre' to coordinate a centre.", name=user.username
            )
        )
    existing = db.session.scalar(select(Coordinator).filter_by(user_id=user.id))
    if existing is not None and existing.centre_id != centre.id:
        raise UserError(
            gettext("'%(name)s' already coordinates another centre.", name=user.username)
        )
    if existing is not None:
        return existing
    coordinator = Coordinator(centre_id=centre.id, user_id=user.id)
    db.session.add(coordinator)
    db.session.flush()
    return coordinator


def coordinator_centre_id(user_id: int) -> int | None:
    return db.session.scalar(select(Coordinator.centre_id).filter_by(user_id=user_id))


def centre_for_coordinator(user: User) -> Centre:
    """The centre this coordinator works for; 403 for anyone else."""
    centre = None
    if user.has_role(Role.CENTRE):
        centre = db.session.scalar(
            select(Centre).join(Coordinator).where(Coordinator.user_id == user.id)
        )
    if centre is None:
        raise Forbidden(
            gettext("Your account is not linked to a centre. Please ask an administrator.")
        )
    return centre


def regenerate_invite_code(centre: Centre) -> str:
    """A new code for new peers; peers who already joined stay members."""
    centre.invite_code = new_invite_code()
    return centre.invite_code


def get_centre(centre_id: int) -> Centre:
    centre = db.session.get(Centre, centre_id)
    if centre is None:
        raise NotFound(gettext("There is no such centre."))
    return centre
