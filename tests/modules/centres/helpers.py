"""Builders shared by the centre and centre-API tests (imported by name)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts.models import Role, User
from academy.modules.centres import coordinators, membership, tasks
from academy.modules.centres.models import Centre, Task
from academy.modules.certificates import services as certificates
from academy.modules.certificates.models import Certificate
from tests.conftest import PASSWORD

# Requirement titles in the fixture content (tests/fixtures/content: modules ``basics`` and
# ``advanced``; the path ``fixture-practice``, basics and observed practice).
BASICS = "Basics"
ADVANCED = "Advanced"
PRACTICE = "Fixture practice — basics and observed practice (modules and observed practice)"


def make_centre(make_user, name: str = "Centre A", coordinator: User | None = None) -> Centre:
    coordinator = coordinator or make_user(Role.CENTRE)
    centre = coordinators.create_centre(name, coordinator)
    db.session.commit()
    return centre


def coordinator_of(centre: Centre) -> User:
    from academy.modules.centres.models import Coordinator

    link = db.session.query(Coordinator).filter_by(centre_id=centre.id).first()
    return db.session.get(User, link.user_id)


def join(peer: User, centre: Centre) -> None:
    membership.join_centre(peer, centre.invite_code, consent=True)
    db.session.commit()


def add_task(centre: Centre, title: str, *requirements: str) -> Task:
    task = tasks.save_task(centre, title, "", requirements)
    db.session.commit()
    return task


def certify(user: User, kind: str, slug: str, version: str | None = None) -> Certificate:
    """Issue a certificate through the certificates service, as completing content would."""
    catalogue = current_catalogue()
    subject = catalogue.modules[slug] if kind == "module" else catalogue.paths[slug]
    if version is None:
        version = (
            subject.version
            if kind == "module"
            else "+".join(catalogue.modules[m].version for m in subject.modules)
        )
    certificate = certificates.issue_or_renew(
        user, kind, slug, subject.title, version, subject.valid_months
    )
    db.session.commit()
    return certificate


def set_expiry(certificate: Certificate, from_now: timedelta) -> None:
    from academy.core.clock import utcnow

    certificate.expires_at = utcnow() + from_now
    db.session.commit()


def sign_in(client, user) -> None:
    response = client.post("/sign-in", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@contextmanager
def counted_queries():
    """The SQL statements run inside the block, as sent to the database."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
