"""Many requests at the same moment, on a real database that several connections share.

Every test here runs on a SQLite file (an in-memory database is private to one
connection) and, when DATABASE_URL points to PostgreSQL, on PostgreSQL too. Each
simulated person is a thread with its own test client, so each request gets its own
application context, database session and connection, as in separate workers.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.core.signals import module_completed

DATABASE_URL = os.environ.get("DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"]
THREADS = 20


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'academy.sqlite3'}"
    if DATABASE_URL.startswith("postgresql"):
        return DATABASE_URL
    pytest.skip("PostgreSQL: set DATABASE_URL=postgresql+psycopg://... to run this too")


@pytest.fixture
def app_config(app_config: dict, database_url: str) -> dict:
    # A connection for every thread, so none waits for the pool instead of the database.
    return app_config | {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": THREADS + 2, "max_overflow": 0},
    }


@pytest.fixture
def completions() -> Iterator[list[tuple[int, str, str]]]:
    """Every module_completed signal sent during the test: (user id, slug, version)."""
    received: list[tuple[int, str, str]] = []
    lock = threading.Lock()

    def receiver(sender: int, module_slug: str, module_version: str) -> None:
        with lock:
            received.append((sender, module_slug, module_version))

    with module_completed.connected_to(receiver):
        yield received


def all_at_once(count: int, action: Callable[[int], object]) -> list[object]:
    """Run ``action(0..count-1)`` in ``count`` threads that start together at a barrier;
    return the results in order (an exception in any thread is raised here)."""
    barrier = threading.Barrier(count, timeout=30)

    def run(index: int) -> object:
        barrier.wait()
        return action(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


SESSION_COOKIE = "academy_session"


def session_cookie(client, auth, user) -> str:
    """Sign in once; every thread sends this cookie, like one person's many tabs."""
    response = auth.sign_in(user)
    assert response.status_code == 302, "sign-in failed"
    cookie = client.get_cookie(SESSION_COOKIE)
    assert cookie is not None
    return cookie.value


def answers_for(module_slug: str, question_ids: list[str], right: bool) -> dict[str, list[str]]:
    """The quiz form's fields: all right, or the first wrong option of each question."""
    quiz = current_catalogue().modules[module_slug].quiz
    form: dict[str, list[str]] = {}
    for qid in question_ids:
        question = quiz.question(qid)
        wrong = next(option.id for option in question.options if not option.correct)
        form[f"answer-{qid}"] = sorted(question.correct_ids) if right else [wrong]
    return form


def post_all_at_once(app, cookie: str, requests: list[tuple[str, dict]]) -> list[tuple[int, str]]:
    """POST each (url, form) from its own thread and client, all at the same moment;
    (status, Location) of each response, in order."""

    def post(index: int) -> tuple[int, str]:
        client = app.test_client()  # this thread's own context, session and connection
        client.set_cookie(SESSION_COOKIE, cookie)
        url, form = requests[index]
        response = client.post(url, data=form)
        return response.status_code, response.headers.get("Location", "")

    db.session.remove()  # the test's own session must hold no connection or lock
    return all_at_once(len(requests), post)
