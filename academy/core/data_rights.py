"""Data subject rights across features: export everything about a person, erase it, prune.

Accounts owns the pages ("download my data", "delete my account"), but most of the data
belongs to higher features (progress, quizzes, certificates, centres). Each feature
registers, at start-up, an exporter (what it holds about a user), an eraser (what must
happen before the user row is deleted, beyond the database's ON DELETE rules) and a
pruner (old records past their retention). Accounts asks core; the dependency still
points one way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from academy.core.extensions import db

# An exporter returns JSON-ready data (lists and dicts of str, int, bool, None, dates).
Exporter = Callable[[int], list | dict]
# An eraser removes or anonymises what ON DELETE CASCADE / SET NULL would not.
Eraser = Callable[[int], None]
# A pruner deletes records older than its retention; with dry_run it only counts them.
Pruner = Callable[[bool], int]

EXTENSION_KEY = "academy.data_rights"


def _registry(app: Flask) -> dict[str, dict]:
    return app.extensions.setdefault(EXTENSION_KEY, {"exporters": {}, "erasers": {}, "pruners": {}})


def register_exporter(app: Flask, name: str, exporter: Exporter) -> None:
    """``name`` becomes the key of this data in the export; registering again replaces it."""
    _registry(app)["exporters"][name] = exporter


def register_eraser(app: Flask, name: str, eraser: Eraser) -> None:
    _registry(app)["erasers"][name] = eraser


def register_pruner(app: Flask, name: str, pruner: Pruner) -> None:
    """``name`` says what is pruned, e.g. "verification log entries older than 180 days"."""
    _registry(app)["pruners"][name] = pruner


def _json_ready(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_ready(item) for item in value]
    return value


def export_user_data(user_id: int) -> dict[str, Any]:
    """Everything every feature holds about this user, keyed by exporter name."""
    exporters = _registry(current_app)["exporters"]
    return {name: _json_ready(exporter(user_id)) for name, exporter in exporters.items()}


def erase_user_data(user_id: int) -> None:
    """Run every eraser; the caller then deletes the user row and commits."""
    for eraser in _registry(current_app)["erasers"].values():
        eraser(user_id)


def prune(dry_run: bool = False) -> dict[str, int]:
    """Run every pruner: what was deleted (or, with dry_run, would be), by name."""
    return {name: pruner(dry_run) for name, pruner in _registry(current_app)["pruners"].items()}


def serialise_row(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """A model row as a dict of the named fields (an explicit list: nothing secret slips in)."""
    return {name: _json_ready(getattr(row, name)) for name in fields}


def rows_exporter(model: Any, fields: tuple[str, ...]) -> Exporter:
    """An exporter of the user's rows of ``model`` (its ``user_id`` column), oldest first,
    each as the named fields."""

    def export(user_id: int) -> list[dict]:
        rows = db.session.scalars(select(model).filter_by(user_id=user_id).order_by(model.id))
        return [serialise_row(row, fields) for row in rows]

    return export
