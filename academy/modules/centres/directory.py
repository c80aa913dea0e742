"""The centres' side of the directory invitations ask (``accounts/centre_directory.py``):
which centre a coordinator works for, centres' names, the centre to offer joining, and
whether a peer shares with a centre (for reset links)."""

from __future__ import annotations

from sqlalchemy import select

from academy.core.extensions import db
from academy.modules.accounts.centre_directory import CentreDirectory, CentreOffer
from academy.modules.centres.coordinators import coordinator_centre_id
from academy.modules.centres.membership import active_membership
from academy.modules.centres.models import Centre


def centre_names(centre_ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(select(Centre.id, Centre.name).where(Centre.id.in_(centre_ids)))
    return {row.id: row.name for row in rows}


def centre_offer(centre_id: int) -> CentreOffer | None:
    row = db.session.execute(
        select(Centre.name, Centre.invite_code).where(Centre.id == centre_id)
    ).first()
    return CentreOffer(row.name, row.invite_code) if row else None


def shares_with(centre_id: int, user_id: int) -> bool:
    return active_membership(centre_id, user_id) is not None


CENTRE_DIRECTORY = CentreDirectory(
    coordinator_centre_id=coordinator_centre_id,
    centre_names=centre_names,
    centre_offer=centre_offer,
    shares_with=shares_with,
)
