"""Two requests at the same moment for one single-use thing (an invitation, a reset link):
both pass the check, then race to claim it, and the conditional UPDATE must let only one
through. Each request runs in its own thread, application context and connection, on a
database the threads share (a SQLite file, or DATABASE_URL)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from flask import Flask

from academy import create_app
from academy.core.extensions import db
from tests.conftest import build_config


@contextmanager
def race_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on a database that threads can share, with the tables made and, after the
    test, dropped."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'race.sqlite3'}"
    app = create_app(build_config(tmp_path, SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        db.drop_all()
        db.create_all()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def both_pass_the_check(monkeypatch: pytest.MonkeyPatch, module: ModuleType, check: str) -> None:
    """``module.check`` waits, once it has looked, until the other request has looked too:
    neither claims before both have seen the thing unused."""
    both_checked = threading.Barrier(2, timeout=10)
    original = getattr(module, check)

    def check_then_wait(plain: str):
        found = original(plain)
        both_checked.wait()
        return found

    monkeypatch.setattr(module, check, check_then_wait)


def at_once(app: Flask, claim: Callable[[str], str], arguments: tuple[str, str]) -> dict[str, str]:
    """``claim(argument)`` for both arguments in two threads at once; per argument, what
    ``claim`` returned (it committed) or the name of the error it raised (rolled back)."""
    outcomes: dict[str, str] = {}

    def run(argument: str) -> None:
        with app.app_context():
            try:
                outcome = claim(argument)
                db.session.commit()
                outcomes[argument] = outcome
            except Exception as error:  # the test asserts on which one it was
                db.session.rollback()
                outcomes[argument] = type(error).__name__
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes
