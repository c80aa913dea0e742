"""A realistic data set for the benchmark, written with bulk inserts.

100,000 trainees with progress, 2,000,000 quiz attempts, 500,000 certificates, 300
centres (one of them with exactly 200 sharing peers and 10 tasks, for the clearance
matrix), observed practice sessions, pauses and a verification log; plus a few named accounts the
benchmark signs in with. The schema comes from the real migrations.

SQLite: ``executemany`` in one transaction per table. PostgreSQL: ``COPY``. A SQLite
file is cached under bench/out/ and a PostgreSQL database remembers what it holds
(table ``bench_dataset``), keyed by the data-set version, the schema's migration head
and the content's module versions, so a second run reuses the data.

This file makes the database and runs the steps; the rows come from the generate_*.py
modules beside it: settings and sizes, the plan of who did what, the bulk writer, and one
module per table or group of tables.

    .venv/bin/python bench/generate.py [--database-url URL] [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from generate_attempts import write_attempts
from generate_centres import write_centres
from generate_certificates import write_certificates
from generate_plan import plan
from generate_progress import write_progress
from generate_records import write_trainee_records
from generate_settings import DATASET_VERSION, MODULE_ORDER, OUT, PATH_SLUG, ROOT, SCALE, SEED
from generate_users import write_users
from generate_writer import Writer

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def dataset_key(app) -> str:  # noqa: ANN001 - a Flask app
    """What the data depends on: this generator's version, the schema, the content."""
    from academy.core.catalogue import current_catalogue
    from academy.modules.operations.services import migration_revisions

    with app.app_context():
        modules = current_catalogue().modules
        parts = [DATASET_VERSION, f"scale={SCALE}", *sorted(migration_revisions().heads)]
        parts += [f"{slug}={modules[slug].version}" for slug in MODULE_ORDER]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]
    return f"{DATASET_VERSION}-{digest}"


def bench_app(database_url: str, **config):  # noqa: ANN201 - a Flask app
    from academy import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "ACADEMY_CONTENT_DIR": str(ROOT / "content"),
            "ACADEMY_INSTANCE_PATH": str(OUT / "instance"),
            "SECRET_KEY": "benchmark-only-secret-key",
            **config,
        }
    )


def sqlite_url(key: str) -> str:
    return f"sqlite:///{OUT / f'data-{key}.sqlite3'}"


def stored_key(engine) -> str | None:  # noqa: ANN001
    import sqlalchemy as sa

    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text("SELECT key FROM bench_dataset"))
    except sa.exc.DBAPIError:
        return None


def ensure_dataset(database_url: str | None, force: bool = False) -> tuple[str, str]:
    """The database URL holding the current data set (generated if missing) and its key."""
    OUT.mkdir(parents=True, exist_ok=True)
    probe = bench_app(database_url or "sqlite://")
    key = dataset_key(probe)
    url = database_url or sqlite_url(key)
    app = bench_app(url)
    with app.app_context():
        from academy.core.extensions import db

        if not force and stored_key(db.engine) == key:
            return url, key
        generate(app, key)
    return url, key


def _reset(app) -> None:  # noqa: ANN001
    """An empty database at the newest schema, through the real migrations."""
    import logging.config

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from academy.core.extensions import db

    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        db.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.database}{suffix}").unlink(missing_ok=True)
    else:
        metadata = sa.MetaData()
        metadata.reflect(db.engine)
        metadata.drop_all(db.engine)
    # alembic.ini's logging setup would silence our own loggers; keep them.
    original = logging.config.fileConfig
    logging.config.fileConfig = lambda *args, **kwargs: None  # type: ignore[assignment]
    try:
        upgrade(directory=str(ROOT / "migrations"))
    finally:
        logging.config.fileConfig = original


def generate(app, key: str) -> None:  # noqa: ANN001
    from academy.core.catalogue import current_catalogue
    from academy.core.extensions import db

    started = time.perf_counter()
    _reset(app)
    catalogue = current_catalogue()
    rng = random.Random(SEED)  # noqa: S311 - reproducible data, not secrets
    data = plan(catalogue.modules, catalogue.paths[PATH_SLUG], rng, _now())
    writer = Writer(db.engine)
    counts: dict[str, int] = {}

    def step(name: str, function, *args) -> object:  # noqa: ANN001
        begun = time.perf_counter()
        result = function(writer, data, *args)
        print(f"  {name:<22} {time.perf_counter() - begun:6.1f} s", flush=True)
        return result

    print(f"Generating the benchmark data set {key} into {db.engine.url.render_as_string()}")
    named = step("users", write_users, rng)
    counts["progress"] = step("progress", write_progress, named, rng)
    counts["quiz_attempts"] = step("quiz attempts", write_attempts, named, rng)
    codes = step("certificates", write_certificates, named, rng)
    counts["centres"] = step("centres and tasks", write_centres, named, rng)
    counts["records"] = step("practice, pauses, log", write_trainee_records, named, codes, rng)
    begun = time.perf_counter()
    if writer.dialect == "postgresql":
        writer.execute("SET session_replication_role = origin")
        for table in (name for name, t in writer.tables.items() if "id" in t.columns):
            writer.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        writer.connection.autocommit = True
        writer.connection.cursor().execute("VACUUM ANALYZE")
    else:
        writer.execute("ANALYZE")
        # Fold the write-ahead log into the file: the cached file is then self-contained.
        writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.execute("CREATE TABLE IF NOT EXISTS bench_dataset (key VARCHAR(64) NOT NULL)")
    writer.execute("DELETE FROM bench_dataset")
    writer.execute(f"INSERT INTO bench_dataset (key) VALUES ('{key}')")  # noqa: S608
    writer.close()
    print(f"  {'analyse':<22} {time.perf_counter() - begun:6.1f} s")
    print(f"Data set ready in {time.perf_counter() - started:.0f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--force", action="store_true", help="generate even if cached")
    args = parser.parse_args()
    url, key = ensure_dataset(args.database_url, args.force)
    print(f"{key}: {url}")


if __name__ == "__main__":
    main()
