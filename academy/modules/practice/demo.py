"""The observed session that ``academy demo`` records, so that ``make run`` shows one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.accounts.models import User
from academy.modules.practice.models import ObservationSession
from academy.modules.practice.services import MET, NOT_YET, record_session

DEMO_NOTE = "Calm and clear. Next time, say whom you call when you are unsure."


def record_demo_session(trainer: User, trainee: User) -> ObservationSession | None:
    """One session of the first practice scenario, a week ago: every criterion met but the
    last, which is "not yet". Idempotent: nothing if the trainee has any session, or if
    no path asks for observed practice."""
    if db.session.scalar(select(ObservationSession.id).filter_by(user_id=trainee.id)):
        return None
    path = next((p for p in current_catalogue().paths.values() if p.practice), None)
    if path is None:
        return None
    scenario = path.practice[0]
    results = {c.id: MET for c in scenario.criteria} | {scenario.criteria[-1].id: NOT_YET}
    observed_on = utcnow().date() - timedelta(days=7)
    return record_session(
        trainee, path.slug, scenario.id, observed_on, results, DEMO_NOTE, by=trainer
    )
