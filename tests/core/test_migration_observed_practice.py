"""The upgrade from practice attestations to observed practice keeps every attestation as a
session with nothing recorded, moves centre tasks onto the path, and the downgrade brings
the attestations back. On SQLite, and on PostgreSQL when DATABASE_URL points there."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from tests.core.test_migrations import empty_database  # noqa: F401 - the fixture

BEFORE = "c4101a5bfa9f"  # 0007, the last revision with the attestations table
CREATED = datetime(2026, 5, 2, 9, 30)

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")


def run(statement: str, **values) -> None:
    db.session.execute(sa.text(statement), values)


def rows(statement: str) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(sa.text(statement))]


def dated_rows(table: str, *names: str) -> list[tuple]:
    """The columns, in id order, with dates read as dates (SQLite returns text otherwise)."""
    types = {"attested_on": sa.Date, "observed_on": sa.Date, "created_at": sa.DateTime}
    columns = [sa.column(name, types.get(name, sa.String)) for name in names]
    statement = sa.select(*columns).select_from(sa.table(table, *columns, sa.column("id")))
    return [tuple(row) for row in db.session.execute(statement.order_by(sa.text("id")))]


SESSION_COLUMNS = ("user_id", "path_slug", "scenario_id", "observed_on", "note",
                   "observed_by_id", "created_at")  # fmt: skip
ATTESTATION_COLUMNS = ("user_id", "path_slug", "requirement_id", "attested_on", "note",
                       "attested_by_id", "created_at")  # fmt: skip


def add_user(name: str, role: Role) -> SimpleNamespace:
    run("INSERT INTO users (username, display_name, password_hash, role, session_nonce,"
        " created_at, last_active_at, failed_sign_ins)"
        " VALUES (:name, :name, 'x', :role, :name, :at, :at, 0)",
        name=name, role=role.value, at=CREATED)  # fmt: skip
    user_id = db.session.execute(
        sa.text("SELECT id FROM users WHERE username = :name"), {"name": name}
    ).scalar_one()
    return SimpleNamespace(id=user_id)


@pytest.fixture
def populated(empty_database):  # noqa: F811 - the fixture imported above
    """A database at 0005 with attestations and tasks that require them."""
    upgrade(revision=BEFORE)
    # Written as SQL: the model has columns later migrations add.
    trainee, other, trainer = (
        add_user("ayo", Role.TRAINEE),
        add_user("bea", Role.TRAINEE),
        add_user("kim", Role.TRAINER),
    )
    db.session.commit()
    insert = (
        "INSERT INTO attestations (user_id, path_slug, requirement_id, attested_on, note,"
        " attested_by_id, created_at) VALUES (:user, :path, :requirement, :day, :note, :by, :at)"
    )
    run(insert, user=trainee.id, path="fixture-practice", requirement="practice",
        day=date(2026, 5, 1), note="two sessions in May", by=trainer.id, at=CREATED)  # fmt: skip
    run(insert, user=other.id, path="fixture-practice", requirement="practice",
        day=date(2026, 4, 3), note="", by=None, at=CREATED)  # fmt: skip
    run("INSERT INTO centres (id, name, invite_code, created_at) VALUES (1, 'C', 'X', :at)",
        at=CREATED)  # fmt: skip
    for task_id in (1, 2, 3):
        run("INSERT INTO centre_tasks (id, centre_id, title, description, created_at)"
            " VALUES (:id, 1, :title, '', :at)", id=task_id, title="T", at=CREATED)  # fmt: skip
    requirements = [
        (1, "attestation", "fixture-practice/practice"),
        (1, "module", "basics"),
        (2, "path", "fixture-practice"),
        (2, "attestation", "fixture-practice/practice"),
        (3, "attestation", "fixture-practice/practice"),
        (3, "attestation", "fixture-practice/other"),
    ]
    for task_id, kind, ref in requirements:
        run("INSERT INTO centre_task_requirements (task_id, kind, ref) VALUES (:t, :k, :r)",
            t=task_id, k=kind, r=ref)  # fmt: skip
    db.session.commit()
    return trainee, other, trainer


def test_each_attestation_becomes_one_session_with_nothing_recorded(populated):
    from academy.modules.practice import services as practice

    trainee, other, trainer = populated

    upgrade()

    assert dated_rows("observation_sessions", *SESSION_COLUMNS) == [
        (trainee.id, "fixture-practice", "practice", date(2026, 5, 1), "two sessions in May",
         trainer.id, CREATED),
        (other.id, "fixture-practice", "practice", date(2026, 4, 3), "", None, CREATED),
    ]  # fmt: skip
    assert rows("SELECT * FROM observation_results") == []
    assert "attestations" not in sa.inspect(db.engine).get_table_names()
    # what the pages read: a session of no current scenario, nothing met, nothing complete
    (carried,) = practice.sessions_of(trainee.id)
    assert (carried.scenario, carried.results, carried.observer) == (None, {}, "kim")
    path = current_catalogue().paths["fixture-practice"]
    progress = practice.practice_progress(trainee.id, path)
    assert not progress.complete
    assert progress.open_scenarios == ["crisis", "first-meeting"]


def test_tasks_that_required_an_attestation_now_require_the_path(populated):
    upgrade()

    assert rows(
        "SELECT task_id, kind, ref FROM centre_task_requirements ORDER BY task_id, kind, ref"
    ) == [
        (1, "module", "basics"),
        (1, "path", "fixture-practice"),
        (2, "path", "fixture-practice"),
        (3, "path", "fixture-practice"),
    ]


def test_the_downgrade_brings_the_attestations_back_and_drops_later_sessions(populated):
    trainee, other, trainer = populated
    upgrade()
    run("INSERT INTO observation_sessions (user_id, path_slug, scenario_id, observed_on, note,"
        " observed_by_id, created_at) VALUES (:u, 'fixture-practice', 'crisis', :d, 'later',"
        " :by, :at)", u=trainee.id, d=date(2026, 6, 1), by=trainer.id, at=CREATED)  # fmt: skip
    later = db.session.scalar(sa.text("SELECT id FROM observation_sessions WHERE note = 'later'"))
    run("INSERT INTO observation_results (session_id, criterion_id, met) VALUES (:s, 'x', :m)",
        s=later, m=True)  # fmt: skip
    db.session.commit()

    downgrade(revision=BEFORE)

    assert dated_rows("attestations", *ATTESTATION_COLUMNS) == [
        (trainee.id, "fixture-practice", "practice", date(2026, 5, 1), "two sessions in May",
         trainer.id, CREATED),
        (other.id, "fixture-practice", "practice", date(2026, 4, 3), "", None, CREATED),
    ]  # fmt: skip
    tables = sa.inspect(db.engine).get_table_names()
    assert "observation_sessions" not in tables and "observation_results" not in tables
