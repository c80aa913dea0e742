"""Bulk inserts for bench/generate.py: ``executemany`` on SQLite, ``COPY`` on PostgreSQL,
through the driver, not the ORM."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from generate_settings import CHUNK


class Writer:
    """Bulk inserts into one table at a time, through the driver, not the ORM."""

    def __init__(self, engine) -> None:  # noqa: ANN001 - a SQLAlchemy Engine
        self.engine = engine
        self.dialect = engine.dialect.name
        self.raw = engine.raw_connection()
        self.connection = self.raw.driver_connection
        self.tables = _metadata(engine).tables
        if self.dialect == "sqlite":
            # Nobody else uses the file while it is generated: no fsync, no rollback journal.
            self.connection.execute("PRAGMA synchronous=OFF")
            self.connection.execute("PRAGMA foreign_keys=OFF")
        else:
            cursor = self.connection.cursor()
            # Bulk load: the data is consistent by construction, so skip the per-row
            # foreign key triggers (needs a superuser, as the benchmark database has).
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("SET synchronous_commit = off")

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        extra = self._defaults(table, columns)
        names = [*columns, *extra]
        tail = tuple(extra.values())
        count = 0
        if self.dialect == "sqlite":
            marks = ", ".join("?" for _ in names)
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608
            for chunk in _chunks(rows, CHUNK):
                self.connection.executemany(sql, [self._sqlite(row) + tail for row in chunk])
                count += len(chunk)
            self.connection.commit()
        else:
            cursor = self.connection.cursor()
            with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(self._postgres(row) + tail)
                    count += 1
            self.connection.commit()
        return count

    def _defaults(self, table: str, columns: Sequence[str]) -> dict[str, object]:
        """Values for NOT NULL columns the generator does not know (added by a later
        migration), from the model's Python default; so the generator keeps working
        while the schema grows."""
        extra: dict[str, object] = {}
        for column in self.tables[table].columns:
            if column.name in columns or column.nullable or column.server_default is not None:
                continue
            if column.primary_key:
                continue
            default = _model_default(table, column.name)
            if default is _MISSING:
                raise SystemExit(f"bench/generate.py: no value for {table}.{column.name}")
            extra[column.name] = default
        return extra

    @staticmethod
    def _sqlite(row: Sequence) -> tuple:
        return tuple(_sqlite_value(value) for value in row)

    @staticmethod
    def _postgres(row: Sequence) -> tuple:
        return tuple(json.dumps(v) if isinstance(v, list | dict) else v for v in row)

    def execute(self, sql: str) -> None:
        cursor = self.connection.cursor()
        cursor.execute(sql)
        self.connection.commit()

    def close(self) -> None:
        self.raw.close()


_MISSING = object()


def _model_default(table: str, column: str) -> object:
    from academy.core.extensions import db

    for mapper in db.Model.registry.mappers:
        if mapper.local_table.name != table or column not in mapper.columns:
            continue
        default = mapper.columns[column].default
        if default is None:
            return _MISSING
        if default.is_scalar:
            return default.arg
        if default.is_callable:
            return default.arg(None)
    return _MISSING


def _sqlite_value(value: object) -> object:
    # The text forms SQLAlchemy's SQLite types read back; one dict lookup per value,
    # since this runs some fifty million times.
    convert = _SQLITE_CONVERTERS.get(type(value))
    return value if convert is None else convert(value)


_SQLITE_CONVERTERS = {
    datetime: lambda value: value.isoformat(" "),
    date: lambda value: value.isoformat(),
    bool: int,
    list: json.dumps,
    dict: json.dumps,
}


def _chunks(rows: Iterable[Sequence], size: int) -> Iterator[list[Sequence]]:
    chunk: list[Sequence] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _metadata(engine):  # noqa: ANN001, ANN202
    import sqlalchemy as sa

    metadata = sa.MetaData()
    metadata.reflect(engine)
    return metadata
