"""The catalogue, module and lesson pages: locks, progress and resuming."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.progress.models import LessonProgress
from tests import (
    accept_content_warning,
    complete_module,
    study_all_lessons,
)

FIRST = "/modules/basics/lessons/first-steps"
SECOND = "/modules/basics/lessons/next-steps"
ADVANCED_LESSON = "/modules/advanced/lessons/only"
OPENS_AFTER_BASICS = "Opens after: Basics"


@pytest.fixture
def signed_in(client, auth, trainee):
    auth.sign_in(trainee)
    return client


def card(page: str, title: str) -> str:
    """The catalogue card of one module."""
    for match in re.finditer(
        r'<li class="card[^"]*">(.*?)</li>\s*(?=<li class="card|</ul>)', page, re.S
    ):
        if f">{title}</a></h2>" in match.group(1):
            return match.group(1)
    raise AssertionError(f"no card for {title!r}")


def studied_lessons(user_id: int) -> set[str]:
    rows = db.session.execute(
        select(LessonProgress.module_slug, LessonProgress.lesson_slug).filter_by(user_id=user_id)
    )
    return {f"{module}/{lesson}" for module, lesson in rows}


def test_the_catalogue_needs_a_signed_in_user(client):
    response = client.get("/modules")

    assert response.status_code == 302
    assert response.location == "/sign-in?next=%2Fmodules"


def test_the_home_page_sends_a_signed_in_user_to_the_catalogue(signed_in):
    assert signed_in.get("/").location == "/modules"


def test_the_catalogue_lists_both_modules_with_their_progress(signed_in):
    page = signed_in.get("/modules").text

    basics = card(page, "Basics")
    assert "The first fixture module." in basics
    assert "2 lessons · about 10 minutes" in basics
    assert "0 % done" in basics
    assert OPENS_AFTER_BASICS not in basics
    advanced = card(page, "Advanced")
    assert "The second fixture module." in advanced
    assert OPENS_AFTER_BASICS in advanced
    assert "% done" not in advanced


def test_progress_counts_lessons_and_the_quiz(signed_in, trainee):
    signed_in.post(f"{FIRST}/studied")

    # two lessons and a quiz: one of three steps
    assert "33 % done" in card(signed_in.get("/modules").text, "Basics")


def test_a_locked_module_names_the_module_it_waits_for(signed_in):
    page = signed_in.get("/modules/advanced").text

    assert "This module opens when you have completed:" in page
    assert '<a href="/modules/basics">Basics</a>' in page
    assert f'href="{ADVANCED_LESSON}"' not in page
    assert "Take the quiz" not in page


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ADVANCED_LESSON),
        ("get", "/modules/advanced/quiz"),
        ("post", f"{ADVANCED_LESSON}/studied"),
    ],
)
def test_the_pages_of_a_locked_module_lead_back_to_the_module_page(
    signed_in, trainee, method, path
):
    response = getattr(signed_in, method)(path)

    assert response.status_code == 302
    assert response.location == "/modules/advanced"
    assert studied_lessons(trainee.id) == set()


def test_the_lesson_page_of_a_locked_module_explains_why_it_is_closed(signed_in):
    page = signed_in.get(ADVANCED_LESSON, follow_redirects=True).text

    assert "This module opens when you have completed the modules it builds on." in page
    assert "There is one lesson here." not in page


def test_completing_the_prerequisite_opens_the_module(signed_in, trainee):
    complete_module(trainee.id, "basics")

    catalogue = signed_in.get("/modules").text
    assert "Completed" in card(catalogue, "Basics")
    assert OPENS_AFTER_BASICS not in card(catalogue, "Advanced")
    accept_content_warning(trainee.id, "advanced")
    lesson = signed_in.get(ADVANCED_LESSON)
    assert lesson.status_code == 200
    assert "There is one lesson here." in lesson.text


def test_studying_every_lesson_without_the_quiz_does_not_open_the_next_module(signed_in, trainee):
    study_all_lessons(trainee.id, "basics")

    assert OPENS_AFTER_BASICS in card(signed_in.get("/modules").text, "Advanced")
    assert signed_in.get(ADVANCED_LESSON).status_code == 302


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_trainers_and_admins_open_every_module(client, auth, make_user, role):
    user = make_user(role)
    accept_content_warning(user.id, "advanced")
    auth.sign_in(user)

    assert OPENS_AFTER_BASICS not in card(client.get("/modules").text, "Advanced")
    assert "This module opens when" not in client.get("/modules/advanced").text
    lesson = client.get(ADVANCED_LESSON)
    assert lesson.status_code == 200
    assert "There is one lesson here." in lesson.text
    assert client.get("/modules/advanced/quiz").status_code == 200


def test_a_lesson_page_shows_the_lesson_and_where_it_is(signed_in):
    page = signed_in.get(FIRST).text

    assert "This is the first lesson. It is short." in page
    assert "Lesson 1 of 2" in page
    assert "I have studied this lesson — next" in page
    assert f'action="{FIRST}/studied"' in page


def test_marking_a_lesson_studied_moves_on_to_the_next_lesson(signed_in, trainee):
    response = signed_in.post(f"{FIRST}/studied")

    assert response.status_code == 302
    assert response.location == SECOND
    assert "This is the second lesson." in signed_in.get(SECOND).text
    assert "You have studied this lesson." in signed_in.get(FIRST).text
    assert studied_lessons(trainee.id) == {"basics/first-steps"}


def test_marking_the_last_lesson_studied_leads_to_the_quiz(signed_in, trainee):
    signed_in.post(f"{FIRST}/studied")

    response = signed_in.post(f"{SECOND}/studied")

    assert response.location == "/modules/basics#quiz"
    page = signed_in.get("/modules/basics").text
    assert page.count('<span class="done">studied</span>') == 2
    assert 'href="/modules/basics/quiz">Take the quiz</a>' in page
    assert "Tip: study the lessons first." not in page


def test_marking_a_lesson_twice_counts_it_once(signed_in, trainee):
    signed_in.post(f"{FIRST}/studied")
    signed_in.post(f"{FIRST}/studied")

    assert studied_lessons(trainee.id) == {"basics/first-steps"}
    assert "33 % done" in card(signed_in.get("/modules").text, "Basics")


def test_the_catalogue_offers_to_continue_where_the_trainee_stopped(signed_in):
    before = card(signed_in.get("/modules").text, "Basics")
    assert "Continue" not in before
    assert "Start: First steps" in signed_in.get("/modules/basics").text

    signed_in.post(f"{FIRST}/studied")

    after = card(signed_in.get("/modules").text, "Basics")
    assert f'<a href="{SECOND}">Continue: Next steps</a>' in after
    assert "Continue: Next steps" in signed_in.get("/modules/basics").text


def test_opening_a_lesson_without_studying_it_is_where_to_continue(signed_in):
    signed_in.get(SECOND)

    assert "Continue: Next steps" in card(signed_in.get("/modules").text, "Basics")


@pytest.mark.parametrize(
    "path",
    [
        "/modules/no-such-module",
        "/modules/no-such-module/lessons/first-steps",
        "/modules/basics/lessons/no-such-lesson",
        "/modules/no-such-module/quiz",
    ],
)
def test_unknown_modules_and_lessons_get_a_clear_not_found_page(signed_in, path):
    response = signed_in.get(path)

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text
    assert "This page does not exist. It may have moved, or the address has a typo." in (
        response.text
    )
    assert "Traceback" not in response.text


def test_marking_an_unknown_lesson_studied_is_not_found_and_records_nothing(signed_in, trainee):
    response = signed_in.post("/modules/basics/lessons/no-such-lesson/studied")

    assert response.status_code == 404
    assert studied_lessons(trainee.id) == set()
