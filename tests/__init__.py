"""Helpers the test modules import by name (pytest loads conftest.py on its own).

``app_config`` overrides the conftest fixture of that name (the documented way to
configure the app per module) and adds two things every request test needs:

* Each request runs in a fresh context. The ``app`` fixture keeps an application
  context pushed for the whole test, and Flask's test client reuses a pushed context of
  the same app, so otherwise every request of every client would share one ``g`` and one
  database session: Flask-Login's cached user would leak from one client to the next,
  Flask-WTF's cached CSRF token would outlive ``session.clear()``, and a view that forgot
  to commit would look fine.
* After the app is torn down, its pooled database connections are closed, so
  PostgreSQL runs do not end with "connection deleted while still open" warnings.

Indirect parametrisation passes extra settings: ``parametrize("app_config", [{...}],
indirect=True)``.
"""

from __future__ import annotations

import contextvars

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.progress import services as progress
from academy.modules.quizzes import services as quizzes
from tests.conftest import build_config


class IsolatedClient(FlaskClient):
    """A test client whose requests each get a new application context and session."""

    def __enter__(self) -> IsolatedClient:  # nothing to preserve between requests
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app_config(request, tmp_path, monkeypatch) -> dict:
    monkeypatch.setattr(Flask, "test_client_class", IsolatedClient)
    engines: set[Engine] = set()

    def remember(connection) -> None:
        engines.add(connection.engine)

    event.listen(Engine, "engine_connect", remember)
    # torn down after the app fixture, which depends on this one
    yield build_config(tmp_path, **getattr(request, "param", {}))
    event.remove(Engine, "engine_connect", remember)
    for engine in engines:
        engine.dispose()


def right_answers(module_slug: str, question_ids: list[str]) -> dict[str, list[str]]:
    quiz = current_catalogue().modules[module_slug].quiz
    return {qid: sorted(quiz.question(qid).correct_ids) for qid in question_ids}


def wrong_answers(module_slug: str, question_ids: list[str]) -> dict[str, list[str]]:
    quiz = current_catalogue().modules[module_slug].quiz
    answers = {}
    for qid in question_ids:
        question = quiz.question(qid)
        answers[qid] = [next(o.id for o in question.options if not o.correct)]
    return answers


def as_form(answers: dict[str, list[str]], **extra: str) -> dict[str, list[str] | str]:
    """Answers as the quiz page posts them: one ``answer-<question id>`` field each."""
    return {f"answer-{qid}": ids for qid, ids in answers.items()} | extra


def study_all_lessons(user_id: int, module_slug: str) -> None:
    module = current_catalogue().modules[module_slug]
    for lesson in module.lessons:
        progress.mark_lesson_studied(user_id, module, lesson)
    db.session.commit()


def pass_quiz(user_id: int, module_slug: str):
    module = current_catalogue().modules[module_slug]
    attempt = quizzes.open_attempt(user_id, module)
    attempt = quizzes.submit_attempt(
        user_id, attempt.id, right_answers(module_slug, attempt.question_ids)
    )
    db.session.commit()
    return attempt


def accept_content_warning(user_id: int, module_slug: str) -> None:
    """The trainee read the module's content warning and chose to continue."""
    progress.accept_content_warning(user_id, current_catalogue().modules[module_slug])
    db.session.commit()


def complete_module(user_id: int, module_slug: str) -> None:
    """Study every lesson and pass the quiz, through the services."""
    study_all_lessons(user_id, module_slug)
    pass_quiz(user_id, module_slug)
