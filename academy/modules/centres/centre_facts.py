"""A centre's local facts (its emergency number, how expenses are paid back): filled in by
its coordinators, shown in the lessons of the peers who share with it.

The list of facts and the lessons' placeholders are in ``academy.core.content.facts``;
``academy.core.centre_facts`` fills the placeholders with what :func:`facts_for_peer`
returns. Values are plain text on one line, escaped wherever they are shown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from flask import g
from flask_babel import gettext
from sqlalchemy import delete, select

from academy.core.catalogue import current_catalogue
from academy.core.centre_facts import CentreValues
from academy.core.content.facts import FACTS, Fact
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.centres import queries
from academy.modules.centres.models import Centre, CentreFact


def facts_of(centre: Centre) -> dict[str, str]:
    """This centre's filled-in facts by name (facts no longer on the list are left out)."""
    known = {fact.name for fact in FACTS}
    rows = db.session.execute(
        select(CentreFact.name, CentreFact.value).where(CentreFact.centre_id == centre.id)
    )
    return {name: value for name, value in rows if name in known}


def save_facts(centre: Centre, submitted: Mapping[str, str | None]) -> None:
    """Replace the centre's facts with ``submitted`` (fact name -> text); an empty text
    clears a fact, so its peers see the fallback. Every value is checked before any is
    written: a refusal (``UserError`` naming the field) changes nothing."""
    values = {fact.name: _clean(fact, submitted.get(fact.name)) for fact in FACTS}
    db.session.execute(delete(CentreFact).where(CentreFact.centre_id == centre.id))
    db.session.add_all(
        CentreFact(centre_id=centre.id, name=name, value=value)
        for name, value in values.items()
        if value
    )


# Where facts_for_peer leaves the support contacts it read along, for this request.
SUPPORT_CONTACTS_READ = "centres_support_contacts_read"


def facts_for_peer(user_id: int) -> list[CentreValues]:
    """(centre name, its facts) for each centre this peer shares with, by name; a centre
    that filled nothing in is there too, so that a peer of two centres sees both.

    The same statement reads the centres' support contacts, which the lesson page shows
    too: they are kept for this request (``support_contacts_for``), so a lesson that
    names facts runs no more statements than one that does not.
    """
    centres: dict[int, tuple[str, dict[str, str]]] = {}
    contacts: dict[int, tuple[str, str | None]] = {}
    for centre_id, centre_name, contact, name, value in queries.centre_facts_of_peer(user_id):
        _, values = centres.setdefault(centre_id, (centre_name, {}))
        contacts[centre_id] = (centre_name, contact)
        if name is not None:
            values[name] = value
    setattr(g, SUPPORT_CONTACTS_READ, (user_id, list(contacts.values())))
    return list(centres.values())


def lessons_naming() -> dict[str, int]:
    """How many lessons of the loaded curriculum name each fact (for the coordinator)."""
    counts = {fact.name: 0 for fact in FACTS}
    for module in current_catalogue().modules.values():
        for lesson in module.lessons:
            for name in lesson.facts:
                counts[name] = counts.get(name, 0) + 1
    return counts


def _clean(fact: Fact, text: str | None) -> str:
    """One line of plain text: whitespace (line breaks too) joined to single spaces."""
    text = " ".join((text or "").split())
    if any(unicodedata.category(character) == "Cc" for character in text):
        raise UserError(gettext("Please leave out control characters."), field=fact.name)
    if len(text) > fact.max_length:
        message = gettext("This can have at most %(max)s characters.", max=fact.max_length)
        raise UserError(message, field=fact.name)
    return text
