"""Recording observed sessions in tests, with the fixture curriculum's checklists
(tests/fixtures/content/curricula.yml: the path ``fixture-practice`` with the scenarios
``crisis``, 2 sessions, and ``first-meeting``, 1 session)."""

from __future__ import annotations

from datetime import date

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts.models import User
from academy.modules.practice import services as practice
from academy.modules.practice.models import ObservationSession

PATH = "fixture-practice"


def observe(
    trainee: User,
    trainer: User,
    scenario_id: str = "crisis",
    on: date | None = None,
    not_yet: tuple[str, ...] = (),
    note: str = "",
) -> ObservationSession:
    """One session with every criterion met except those in ``not_yet``; committed."""
    scenario = current_catalogue().paths[PATH].scenario(scenario_id)
    results = {
        c.id: practice.NOT_YET if c.id in not_yet else practice.MET for c in scenario.criteria
    }
    session = practice.record_session(
        trainee, PATH, scenario_id, on or date.today(), results, note, by=trainer
    )
    db.session.commit()
    return session


def complete_practice(trainee: User, trainer: User) -> None:
    """Every scenario of the fixture path complete: crisis on two days, first meeting once."""
    observe(trainee, trainer, "crisis", date(2026, 1, 5))
    observe(trainee, trainer, "crisis", date(2026, 1, 12))
    observe(trainee, trainer, "first-meeting", date(2026, 1, 12))
