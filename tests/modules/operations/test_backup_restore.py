"""``academy backup`` and ``academy restore``: a restored backup has every row again.

SQLite runs on a file in tmp_path (the backup API needs one); PostgreSQL runs when
DATABASE_URL points there, through the real pg_dump and pg_restore.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres.models import (
    ApiToken,
    Centre,
    Coordinator,
    Membership,
    Task,
    TaskRequirement,
    VerificationLogEntry,
)
from academy.modules.certificates import services as certificates
from academy.modules.certificates.models import Certificate
from academy.modules.operations import services
from academy.modules.progress import services as progress
from academy.modules.quizzes import services as quizzes
from tests.modules.practice.helpers import observe

DATABASE_URL = os.environ.get("DATABASE_URL", "")

# Tables that the fill below must reach, so "every row" is never "no rows".
MUST_HAVE_ROWS = {
    "users",
    "lesson_progress",
    "module_progress",
    "quiz_attempts",
    "certificates",
    "observation_sessions",
    "observation_results",
    "pauses",
    "centres",
    "centre_coordinators",
    "centre_memberships",
    "centre_tasks",
    "centre_task_requirements",
    "centre_api_tokens",
    "verification_log",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'academy.sqlite3'}"
    if not DATABASE_URL.startswith("postgresql"):
        pytest.skip("PostgreSQL: set DATABASE_URL=postgresql+psycopg://... to run this too")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed (Debian: postgresql-client)")
    return DATABASE_URL


@pytest.fixture
def app_config(app_config: dict, database_url: str) -> dict:
    return app_config | {"SQLALCHEMY_DATABASE_URI": database_url}


def pass_module(user_id: int, slug: str) -> None:
    module = current_catalogue().modules[slug]
    for lesson in module.lessons:
        progress.mark_lesson_studied(user_id, module, lesson)
    attempt = quizzes.open_attempt(user_id, module)
    quiz = module.quiz
    answers = {qid: sorted(quiz.question(qid).correct_ids) for qid in attempt.question_ids}
    quizzes.submit_attempt(user_id, attempt.id, answers)


def fill(make_user) -> None:
    """A little of everything, made through the features' own services."""
    trainee = make_user(Role.TRAINEE, "ayo", "Ayo Ödegaard")
    other = make_user(Role.TRAINEE, "bea", "Bea")
    trainer = make_user(Role.TRAINER)
    coordinator = make_user(Role.CENTRE)
    pass_module(trainee.id, "basics")
    quizzes.open_attempt(other.id, current_catalogue().modules["basics"])  # still open
    observe(trainee, trainer, "first-meeting", date(2026, 1, 5), note="calm, well")
    certificates.pause_self(other)
    # Centre records straight from the models: what matters here is rows, not rules.
    centre = Centre(name="Centre Nord", invite_code="ABCDE23456", support_contact="Room 2")
    db.session.add(centre)
    db.session.flush()
    task = Task(centre_id=centre.id, title="Group session", description="With a counsellor")
    db.session.add_all(
        [
            Coordinator(centre_id=centre.id, user_id=coordinator.id),
            Membership(centre_id=centre.id, user_id=trainee.id),
            task,
            ApiToken(
                centre_id=centre.id,
                name="records system",
                token_hash="0" * 64,
                prefix="pa_0000000",
                created_by_id=coordinator.id,
            ),
        ]
    )
    db.session.flush()
    code = db.session.scalars(sa.select(Certificate.code)).first()
    db.session.add_all(
        [
            TaskRequirement(task_id=task.id, kind="module", ref="basics"),
            VerificationLogEntry(code=code, result="valid", via="api", centre_id=centre.id),
        ]
    )
    db.session.commit()


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (whatever the models say), in a stable order."""
    db.session.remove()
    metadata = sa.MetaData()
    metadata.reflect(db.engine)
    with db.engine.connect() as connection:
        return {
            name: sorted((tuple(row) for row in connection.execute(table.select())), key=repr)
            for name, table in metadata.tables.items()
        }


def damage(make_user) -> None:
    """What a restore must undo: rows gone, rows changed, rows added."""
    with db.engine.begin() as connection:
        connection.execute(sa.delete(VerificationLogEntry))
        connection.execute(sa.update(Certificate).values(holder_name="changed"))
    make_user(Role.TRAINEE, "added-after-backup")


def test_a_restored_backup_has_every_row(app, make_user, tmp_path):
    fill(make_user)
    before = snapshot()
    assert MUST_HAVE_ROWS <= {name for name, rows in before.items() if rows}

    result = services.backup(tmp_path / "backups" / "academy.backup")
    assert result.size > 0 and result.path.exists()
    assert not (tmp_path / "backups" / "academy.backup.partial").exists()
    damage(make_user)
    assert snapshot() != before
    services.restore(result.path)

    assert snapshot() == before
    # Sequences came back too: the next account gets a fresh id, not a taken one.
    make_user(Role.TRAINEE, "after-restore")


def test_the_cli_backs_up_and_restores(app, make_user, tmp_path):
    fill(make_user)
    before = snapshot()
    runner = app.test_cli_runner()
    target = tmp_path / "nightly.backup"

    backed_up = runner.invoke(args=["backup", str(target)])
    assert backed_up.exit_code == 0, backed_up.output
    assert "Backed up" in backed_up.output and target.exists()
    damage(make_user)
    refused = runner.invoke(args=["restore", str(target)], input="n\n")
    assert refused.exit_code != 0 and snapshot() != before  # asked, and nothing happened
    restored = runner.invoke(args=["restore", "--yes", str(target)])
    assert restored.exit_code == 0, restored.output

    assert snapshot() == before
    # The password of the database never shows in what the commands print.
    assert (
        "@" not in backed_up.output
        or ":***@" in backed_up.output
        or "//postgres@" in backed_up.output
    )


def test_a_backup_of_the_other_kind_is_refused(app, tmp_path):
    wrong = tmp_path / "wrong.backup"
    if db.engine.dialect.name == "sqlite":
        wrong.write_bytes(services.PG_CUSTOM_MAGIC + b"\0" * 100)
    else:
        sqlite3.connect(wrong).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(services.OperationsError, match="backup"):
        services.restore(wrong)
    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"not a backup at all")
    with pytest.raises(services.OperationsError, match="not a backup"):
        services.restore(garbage)


def test_sqlite_backup_is_consistent_while_the_app_writes(app, make_user, tmp_path):
    """The backup API reads one snapshot: a writer running meanwhile does not corrupt
    it, and the backup holds every row that was committed when it started."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's online backup")
    fill(make_user)
    stop = threading.Event()

    def write() -> None:
        with app.app_context():
            number = 0
            while not stop.is_set():
                number += 1
                make_user(Role.TRAINEE, f"writer-{number}")

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = services.backup(tmp_path / "live.backup")
    finally:
        stop.set()
        writer.join()
    with sqlite3.connect(result.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM users WHERE username = 'ayo'").fetchone() == (1,)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()


def test_a_database_password_stays_out_of_output_and_command_lines(app_config, monkeypatch):
    from academy import create_app

    url = "postgresql+psycopg://academy:s3cret-pw@db.internal:6432/academy?sslmode=require"
    app = create_app(app_config | {"SQLALCHEMY_DATABASE_URI": url})
    calls = []
    monkeypatch.setattr(services.shutil, "which", lambda program: f"/usr/bin/{program}")
    monkeypatch.setattr(
        services.subprocess,
        "run",
        lambda args, env, **_: calls.append((args, env)) or type("Done", (), {"returncode": 0})(),
    )
    with app.app_context():
        assert "s3cret-pw" not in services.describe_database()
        services._run_pg("pg_dump", ["--format=custom", "-f", "x"])
    ((args, env),) = calls
    assert not any("s3cret-pw" in arg for arg in args)
    assert env["PGPASSWORD"] == "s3cret-pw" and env["PGHOST"] == "db.internal"
    assert env["PGPORT"] == "6432" and env["PGDATABASE"] == "academy"
    assert env["PGSSLMODE"] == "require"


def test_a_backup_is_readable_by_its_owner_only(app, make_user, tmp_path):
    """0600 like ``secret_key``, whatever the umask: a backup holds everything about everyone."""
    import stat

    make_user()
    previous = os.umask(0o022)
    try:
        result = services.backup(tmp_path / "backups" / "academy.backup")
    finally:
        os.umask(previous)
    assert result.size > 0
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
