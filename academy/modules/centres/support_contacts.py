"""A centre's support contact: who its peers can turn to, shown on every lesson page of
the peers who share with it (through ``academy.core.support``)."""

from __future__ import annotations

from flask import g
from flask_babel import gettext

from academy.core.errors import UserError
from academy.modules.centres import queries
from academy.modules.centres.centre_facts import SUPPORT_CONTACTS_READ
from academy.modules.centres.models import Centre

MAX_SUPPORT_CONTACT_LENGTH = 1000


def support_contacts_for(user_id: int) -> list[tuple[str, str]]:
    """(centre name, support contact) of the centres this peer currently shares with.

    Shown on every lesson page through ``academy.core.support``; a centre without a
    contact is left out. Read along with the centre facts if this request read them.
    """
    read = g.get(SUPPORT_CONTACTS_READ)
    rows = read[1] if read is not None and read[0] == user_id else queries.support_contacts(user_id)
    return [(name, contact.strip()) for name, contact in rows if contact and contact.strip()]


def set_support_contact(centre: Centre, text: str | None) -> None:
    """Who this centre's peers can turn to; empty leaves only the general advice."""
    text = (text or "").strip().replace("\r\n", "\n")
    if len(text) > MAX_SUPPORT_CONTACT_LENGTH:
        raise UserError(
            gettext(
                "The support contact can have at most %(max)s characters.",
                max=MAX_SUPPORT_CONTACT_LENGTH,
            ),
            field="support_contact",
        )
    centre.support_contact = text or None
