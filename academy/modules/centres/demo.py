"""The demo centre that ``academy demo`` creates for trying the app locally."""

from __future__ import annotations

from sqlalchemy import select

from academy.core.extensions import db
from academy.modules.accounts.models import User
from academy.modules.centres.centre_facts import facts_of, save_facts
from academy.modules.centres.coordinators import add_coordinator, create_centre
from academy.modules.centres.membership import active_membership, join_centre
from academy.modules.centres.models import Centre
from academy.modules.centres.tasks import requirement_groups, save_task, tasks_of

DEMO_CENTRE_NAME = "Demo centre"
DEMO_TASKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Accompany a client to an appointment",
        "Go with a client to an office, a doctor or a lawyer, and help them feel safe.",
        (
            "module:peer-role",
            "module:safe-listening",
            "module:data-protection",
            "module:boundaries",
        ),
    ),
    (
        "Lead a group session",
        "Lead a peer group at the centre, with a counsellor in reach.",
        ("path:peer-advisor-core",),
    ),
    (
        "Speak at an awareness event",
        "Talk about the centre's offer in a community, without case stories.",
        ("module:peer-role", "module:multiplier-methods", "module:data-protection"),
    ),
    (
        "Support public relations work",
        "Help with flyers, posts and stands; never with clients' stories.",
        ("module:peer-role", "module:data-protection"),
    ),
)


# Some of the facts its peers read in their lessons; the others show what to ask.
DEMO_FACTS = {
    "emergency-number": "030 555 010 00, day and night (demo number)",
    "coordinator-contact": "The demo coordinator, 030 555 010 10, Monday to Friday, 9 to 5",
    "expenses": "Tickets and printing; hand in receipts with the monthly time sheet.",
}


def create_demo_centre(coordinator: User, peer: User) -> Centre:
    """The demo centre with four realistic tasks, some lesson facts and the demo peer
    sharing with it.

    Idempotent; tasks only require content that exists in the loaded catalogue.
    """
    centre = db.session.scalar(select(Centre).filter_by(name=DEMO_CENTRE_NAME))
    if centre is None:
        centre = create_centre(DEMO_CENTRE_NAME, coordinator)
    else:
        add_coordinator(centre, coordinator)
    known = {r.value for group in requirement_groups() for r in group.requirements}
    existing = {task.title for task in tasks_of(centre)}
    for title, description, wanted in DEMO_TASKS:
        values = [value for value in wanted if value in known]
        if title not in existing and values:
            save_task(centre, title, description, values)
    if not facts_of(centre):
        save_facts(centre, DEMO_FACTS)
    if active_membership(centre.id, peer.id) is None:
        join_centre(peer, centre.invite_code, consent=True)
    return centre
