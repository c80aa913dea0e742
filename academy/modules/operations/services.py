"""Operations: the health check, and backing up and restoring the database.

SQLite is copied through its online backup API, which reads one consistent snapshot
while the app keeps writing (a plain file copy of a live database can catch a write
half-way and produce a corrupt file). PostgreSQL goes through ``pg_dump`` and
``pg_restore`` in the custom format, restored in a single transaction.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore, with argument lists, never a shell
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from academy.core.catalogue import current_catalogue
from academy.core.config import PROJECT_ROOT
from academy.core.database import create_owner_only_file, sqlite_file
from academy.core.extensions import db

logger = logging.getLogger("academy.operations")

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
MIGRATIONS = PROJECT_ROOT / "migrations"
# libpq reads these from the environment; a password there never shows in ``ps``.
_LIBPQ_QUERY_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "host": "PGHOST",
}


class OperationsError(RuntimeError):
    """A backup or restore that cannot be done; the message says what to do."""


# --- health -------------------------------------------------------------------------------


# Why a server is out of rotation, in a few words for whoever runs it; nothing internal.
REASONS = {
    "database": "the database does not answer",
    "missing": "the database has no schema: run academy init",
    "outdated": "the database schema is older than this release: run academy db upgrade",
    "content": "no course content is loaded",
}
# A schema newer than this release (another server ran the next release's migrations)
# still serves: migrations only add or widen within a release (docs/deploy.md, step 7).
SERVING_SCHEMAS = frozenset({"current", "newer"})


@dataclass(frozen=True)
class Health:
    """What a load balancer or a monitor needs, and nothing about anyone."""

    database: str  # "ok" or "unavailable"
    schema: str  # "current", "newer", "outdated", "missing" or "unknown" (no database)
    modules: int
    content_errors: int

    @property
    def reason(self) -> str | None:
        """Why pages would fail here; None when they work."""
        if self.database != "ok":
            return REASONS["database"]
        if self.schema not in SERVING_SCHEMAS:
            return REASONS.get(self.schema, REASONS["missing"])
        if self.modules == 0:
            return REASONS["content"]
        return None

    @property
    def ok(self) -> bool:
        return self.reason is None

    def as_dict(self) -> dict[str, object]:
        answer: dict[str, object] = {
            "status": "ok" if self.ok else "unavailable",
            "database": self.database,
            "schema": self.schema,
            "content": {"modules": self.modules, "errors": self.content_errors},
        }
        if self.reason is not None:
            answer["reason"] = self.reason
        return answer


@dataclass(frozen=True)
class Revisions:
    heads: frozenset[str]  # the newest revision(s): what this release's pages need
    known: frozenset[str]  # every revision in migrations/


@cache
def migration_revisions() -> Revisions:
    """The revisions in migrations/, read once per process (at start-up, by operations'
    ``init_app``)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    known = frozenset(revision.revision for revision in script.walk_revisions())
    return Revisions(frozenset(script.get_heads()), known)


def _schema_state(connection: sa.Connection) -> str:
    try:
        revisions = set(connection.scalars(sa.text("SELECT version_num FROM alembic_version")))
    except sa.exc.DBAPIError:
        return "missing"  # an empty database file, or tables made without migrations
    known = migration_revisions()
    if not revisions:
        return "missing"
    if revisions == known.heads:
        return "current"
    return "outdated" if revisions <= known.known else "newer"


def health() -> Health:
    """Check the database with a connection of its own (never the request's session,
    whose transaction a failed query would spoil): the schema's migration, and a real
    query on a table every page needs (which also fails for a role without access)."""
    from academy.modules.accounts.models import User

    catalogue = current_catalogue()
    database, schema = "unavailable", "unknown"
    try:
        with db.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            schema = _schema_state(connection)
            if schema in SERVING_SCHEMAS:
                connection.execute(sa.select(User.id).limit(1)).all()
            database = "ok"
    except sa.exc.SQLAlchemyError as error:
        # The type only: a driver's message can contain the connection string.
        logger.error("health check: database unavailable (%s)", type(error).__name__)
    return Health(database, schema, len(catalogue.modules), len(catalogue.errors))


# --- backup and restore -------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    backend: str  # "sqlite" or "postgresql"
    size: int  # bytes
    seconds: float


def _url() -> URL:
    return db.engine.url


def _backend() -> str:
    name = _url().get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise OperationsError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def describe_database() -> str:
    """The database as a person would name it, without a password."""
    return _url().render_as_string(hide_password=True)


def _sqlite_file() -> Path:
    path = sqlite_file(_url())
    if path is None:
        raise OperationsError("An in-memory SQLite database cannot be backed up.")
    return path


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup(path: Path) -> BackupResult:
    """Write a consistent backup of the app's database to ``path``.

    The backup appears under its name only when complete (written next to it, then
    renamed), so a crash never leaves a half backup that looks like a whole one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    backend = _backend()
    partial = _partial(path)
    partial.unlink(missing_ok=True)
    # Readable by the owner only from the first byte: sqlite3 and pg_dump keep the mode
    # of the file they write into, and the rename keeps it too.
    create_owner_only_file(partial)
    try:
        if backend == "sqlite":
            _backup_sqlite(partial)
        else:
            _run_pg(
                "pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "-f", str(partial)]
            )
        _fsync(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path, backend, path.stat().st_size, time.perf_counter() - started)


def _backup_sqlite(target_path: Path) -> None:
    source_path = _sqlite_file()
    if not source_path.exists():
        raise OperationsError(f"There is no database file at {source_path}.")
    # A connection of our own: the backup API reads a snapshot, and in WAL mode the
    # app's writers carry on meanwhile.
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.execute("PRAGMA busy_timeout=5000")
        source.backup(target)
        # One self-contained file: no -wal file beside it to forget when copying it away.
        target.execute("PRAGMA journal_mode=DELETE")
        if target.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise OperationsError("The backup failed its integrity check; nothing was written.")
    finally:
        target.close()
        source.close()


def _pg_environment() -> dict[str, str]:
    url = _url()
    env = dict(os.environ)
    for key, value in {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }.items():
        if value:
            env[key] = str(value)
    for key, value in url.query.items():
        if key in _LIBPQ_QUERY_ENV:
            env[_LIBPQ_QUERY_ENV[key]] = value if isinstance(value, str) else value[-1]
    return env


def _run_pg(program: str, arguments: list[str]) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise OperationsError(
            f"{program} was not found. Install the PostgreSQL client tools of the server's "
            "major version (Debian: postgresql-client)."
        )
    completed = subprocess.run(  # noqa: S603 - fixed program, arguments as a list
        [executable, *arguments],
        env=_pg_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        # pg_dump's own words help the operator; they name tables, not people.
        raise OperationsError(f"{program} failed: {completed.stderr.strip()[-2000:]}")


def backup_kind(path: Path) -> str:
    """The backup's kind, "sqlite" or "postgresql", read from its first bytes."""
    with Path(path).open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise OperationsError(f"{path} is not a backup made by 'academy backup'.")


def restore(path: Path) -> None:
    """Replace the app's database with the backup at ``path``.

    Every connection of this process is closed first. Stop the app servers before a
    restore: a request that writes during it would mix old and new data.
    """
    path = Path(path)
    if not path.is_file():
        raise OperationsError(f"There is no backup at {path}.")
    backend = _backend()
    kind = backup_kind(path)
    if kind != backend:
        raise OperationsError(f"{path} is a {kind} backup; the configured database is {backend}.")
    db.session.remove()
    db.engine.dispose()
    if backend == "sqlite":
        _restore_sqlite(path)
    else:
        _run_pg(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                # All or nothing: a failure half-way leaves the database as it was.
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={_url().database}",
                str(path),
            ],
        )
    db.engine.dispose()


def _restore_sqlite(path: Path) -> None:
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise OperationsError(f"{path} is damaged (it failed SQLite's integrity check).")
        create_owner_only_file(_sqlite_file())
        target = sqlite3.connect(_sqlite_file())
        try:
            target.execute("PRAGMA busy_timeout=5000")
            # Through SQLite, page by page in one transaction: readers of the live file
            # see the old database or the new one, never a mix.
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
    finally:
        source.close()


def row_counts() -> dict[str, int]:
    """Rows per table, for the report after a backup or a restore."""
    inspector = sa.inspect(db.engine)
    counts: dict[str, int] = {}
    with db.engine.connect() as connection:
        for table in sorted(inspector.get_table_names()):
            # Not injectable: the names come from the database's own catalogue, quoted.
            quoted = connection.dialect.identifier_preparer.quote(table)
            query = sa.text(f"SELECT count(*) FROM {quoted}")  # noqa: S608  # nosec B608
            counts[table] = connection.scalar(query)
    return counts
