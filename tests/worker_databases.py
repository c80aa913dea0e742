"""Under pytest-xdist each worker runs its own tests at the same time as the others, and
every test empties the database it uses: on PostgreSQL each worker therefore gets a
database of its own, named after DATABASE_URL's with the worker's id appended
(``test_gw0``, ``test_gw1``), made when it is missing. SQLite tests use memory or files
under tmp_path and need nothing."""

from __future__ import annotations

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def use_a_database_of_this_workers_own() -> None:
    url = os.environ.get("DATABASE_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return
    shared = make_url(url)
    name = f"{shared.database}_{worker}"
    engine = create_engine(shared, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if found is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    # Set before the test modules are imported: several read DATABASE_URL at import.
    os.environ["DATABASE_URL"] = shared.set(database=name).render_as_string(hide_password=False)
