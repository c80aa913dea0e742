"""Reading offline in Chromium: a saved module's lessons open without a connection, a
lesson marked studied offline reaches the server once when the phone is online again, a
quiz answered offline is sent and graded once, and the quick exit, signing out and
deleting the account leave nothing of it on the phone (docs/offline.md)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from academy.core.extensions import db
from academy.modules.accounts.models import User
from academy.modules.progress.models import LessonProgress
from academy.modules.quizzes.models import QuizAttempt
from tests.browser.conftest import VIEWPORTS, axe_violations
from tests.browser.helpers import (
    answer_quiz_with_mouse,
    drawn_question_ids,
    new_user,
    quiz_answers,
    set_language,
    sign_in,
)

MODULE = "peer-role"
FIRST = f"/modules/{MODULE}/lessons/what-a-peer-advisor-does"
SECOND = f"/modules/{MODULE}/lessons/peers-and-professionals"
OUTBOX = "academy-outbox"
WAITING_ANSWERS = "The answers are saved on this phone and will be sent when you are online."


@pytest.fixture
def phone(browser, base_url):
    context = browser.new_context(viewport=VIEWPORTS["phone"], base_url=base_url)
    yield context
    context.close()


def cache_names(page) -> list[str]:
    return page.evaluate("async () => await caches.keys()")


def outbox(page) -> str | None:
    return page.evaluate(f"() => localStorage.getItem('{OUTBOX}')")


def save_module(page) -> None:
    page.goto(f"/modules/{MODULE}")
    warning = page.locator(".offline-save .notice")
    assert "Saved lessons stay on this phone until you remove them" in warning.inner_text()
    page.get_by_role("button", name="Save lessons on this phone").click()
    page.get_by_text("Saved on this phone.").wait_for()
    # the service worker is active: it answers every page opened from now on
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")


def studied_marks(app, username: str, lesson_slug: str) -> int:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).filter_by(username=username))
        return db.session.scalar(
            select(func.count())
            .select_from(LessonProgress)
            .filter_by(user_id=user_id, module_slug=MODULE, lesson_slug=lesson_slug)
        )


def wait_for_marks(page, app, username: str, lesson_slug: str, expected: int) -> None:
    for _ in range(50):
        if studied_marks(app, username, lesson_slug) == expected:
            return
        page.wait_for_timeout(100)
    assert studied_marks(app, username, lesson_slug) == expected


def test_a_saved_lesson_reads_offline_and_its_mark_arrives_once(phone, live_app):
    page = phone.new_page()
    username = new_user(live_app)
    sign_in(page, username)
    save_module(page)
    assert len([name for name in cache_names(page) if name.startswith("lessons-")]) == 1

    phone.set_offline(True)
    page.goto(FIRST)
    assert page.get_by_role("heading", level=1).inner_text()
    rules = "() => [...document.styleSheets].reduce((n, sheet) => n + sheet.cssRules.length, 0)"
    assert page.evaluate(rules) > 20, "the saved style sheet is used offline"
    page.get_by_role("button", name=re.compile("I have studied this lesson")).click()
    page.get_by_text("Marked as studied on this phone.").wait_for()
    # pressed twice (a second visit to the saved page): still one entry waiting
    page.goto(FIRST)
    page.get_by_role("button", name=re.compile("I have studied this lesson")).click()
    assert len(page.evaluate(f"() => JSON.parse(localStorage.getItem('{OUTBOX}'))")) == 1
    page.goto(SECOND)  # the next saved lesson opens offline too
    assert "/lessons/peers-and-professionals" in page.url
    assert studied_marks(live_app, username, "what-a-peer-advisor-does") == 0

    phone.set_offline(False)
    wait_for_marks(page, live_app, username, "what-a-peer-advisor-does", 1)
    page.wait_for_function(f"() => localStorage.getItem('{OUTBOX}') === null")
    page.reload()
    page.wait_for_timeout(300)  # a second page load sends nothing more
    assert studied_marks(live_app, username, "what-a-peer-advisor-does") == 1


def test_an_unsaved_page_offline_says_so(phone, live_app):
    page = phone.new_page()
    sign_in(page, new_user(live_app))
    save_module(page)
    phone.set_offline(True)
    page.goto("/certificates")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    page.get_by_role("link", name="Lessons saved on this phone").click()
    page.get_by_role("heading", name="The peer advisor's role").wait_for()
    assert page.get_by_role("link", name="What a peer advisor does").count() == 1


def test_the_offline_page_speaks_the_trainees_language(phone, live_app):
    """The service worker's page for an address not saved is in the language of the
    trainee's pages: German, then right to left in Arabic after the trainee switched."""
    page = phone.new_page()
    username = new_user(live_app)
    set_language(live_app, username, "de")
    sign_in(page, username)
    page.goto(f"/modules/{MODULE}")
    page.locator(".js-offline-save").click()
    expect(page.locator(".offline-save [role=status]")).to_contain_text(
        "Auf diesem Handy gespeichert."
    )
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    phone.set_offline(True)
    page.goto("/certificates")
    expect(page.get_by_role("heading", name="Sie sind offline")).to_be_visible()
    assert page.evaluate("() => document.documentElement.lang") == "de"
    assert "nicht auf diesem Handy gespeichert" in page.inner_text("body")

    phone.set_offline(False)
    set_language(live_app, username, "ar")
    page.goto("/modules")  # a page in Arabic tells the service worker
    page.wait_for_function(
        "async () => (await (await caches.match('/offline/state')).json()).page.lang === 'ar'"
    )
    phone.set_offline(True)
    page.goto("/certificates")
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    expect(page.get_by_role("link", name="الدروس المحفوظة على هذا الهاتف")).to_be_visible()


def test_the_quick_exit_offline_leaves_nothing_on_the_phone(phone, live_app, exit_site):
    page = phone.new_page()
    sign_in(page, new_user(live_app))
    save_module(page)
    phone.set_offline(True)
    page.goto(FIRST)
    page.get_by_role("button", name=re.compile("I have studied this lesson")).click()
    page.get_by_text("Marked as studied on this phone.").wait_for()
    assert outbox(page) is not None

    # offline, the neutral site cannot load either: the page tries to go there
    leaving = lambda request: request.url.startswith(exit_site)  # noqa: E731
    with page.expect_event("requestfailed", predicate=leaving):
        for _ in range(3):
            page.keyboard.press("Shift")

    phone.set_offline(False)
    page.goto("/static/favicon.svg")  # back on this site's origin, to look inside
    assert cache_names(page) == []
    assert outbox(page) is None
    workers = "async () => (await navigator.serviceWorker.getRegistrations()).length"
    assert page.evaluate(workers) == 0


def test_signing_out_removes_the_saved_lessons(phone, live_app):
    page = phone.new_page()
    sign_in(page, new_user(live_app))
    save_module(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    assert cache_names(page) == []
    assert outbox(page) is None


def test_another_account_on_the_phone_never_sees_the_saved_lessons(phone, live_app):
    page = phone.new_page()
    first = new_user(live_app)
    sign_in(page, first)
    save_module(page)
    saved_for_first = cache_names(page)
    # the session ends without signing out (e.g. timed out); someone else signs in
    phone.clear_cookies()
    sign_in(page, new_user(live_app))
    page.goto(f"/modules/{MODULE}")
    page.wait_for_timeout(300)
    phone.set_offline(True)
    page.goto(FIRST)
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    # the first account's lessons stay theirs (until anyone signs out or leaves)
    assert set(saved_for_first) <= set(cache_names(page))


def test_a_quiz_answered_offline_is_sent_once_online(phone, live_app):
    page = phone.new_page()
    username = new_user(live_app)
    sign_in(page, username)
    page.goto(f"/modules/{MODULE}")  # the service worker is registered on a trainee's page
    page.goto(f"/modules/{MODULE}/quiz")
    question_ids = drawn_question_ids(page)
    answers = quiz_answers(live_app, MODULE, question_ids, right=True)

    phone.set_offline(True)
    answer_quiz_with_mouse(page, answers)
    page.get_by_text(WAITING_ANSWERS).wait_for()
    assert "/quiz" in page.url and outbox(page) is not None
    page.get_by_role("button", name="Send my answers").click()  # pressed again: still one

    phone.set_offline(False)
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+$"))
    assert outbox(page) is None
    with live_app.app_context():
        user_id = db.session.scalar(select(User.id).filter_by(username=username))
        attempts = db.session.scalars(select(QuizAttempt).filter_by(user_id=user_id)).all()
        assert [a.submitted_at is not None for a in attempts] == [True]
        assert attempts[0].passed


def test_chromium_honours_clear_site_data_on_sign_out_without_the_script(phone, live_app):
    """The header alone (the page script's removal bypassed): Chromium clears Cache
    Storage and localStorage on http://127.0.0.1 too, a potentially trustworthy origin."""
    page = phone.new_page()
    sign_in(page, new_user(live_app))
    save_module(page)
    page.evaluate(f"() => localStorage.setItem('{OUTBOX}', '[]')")
    # form.submit() fires no submit event: offline.js does not run, only the server acts
    page.evaluate("() => document.querySelector('form.js-forget-offline').submit()")
    page.wait_for_url("**/sign-in")
    assert cache_names(page) == []
    assert outbox(page) is None


def test_the_saving_controls_and_the_list_are_accessible(phone, live_app):
    page = phone.new_page()
    sign_in(page, new_user(live_app))
    save_module(page)
    expect(page.get_by_role("button", name="Remove saved lessons")).to_be_visible()
    expect(page.get_by_role("button", name="Save lessons on this phone")).to_be_hidden()
    assert not axe_violations(page)
    page.goto("/offline")
    page.get_by_role("heading", name="The peer advisor's role").wait_for()
    assert not axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]

    page.get_by_role("button", name="Remove all saved lessons from this phone").click()
    page.get_by_text("Nothing is saved on this phone.").wait_for()
    assert cache_names(page) == []


def test_quiz_answers_wait_through_a_new_sign_in_and_go_with_a_fresh_token(phone, live_app):
    """The session ends while the answers wait (its CSRF token with it): nothing is sent
    until the same trainee signs in again, then the answers go once, none lost."""
    page = phone.new_page()
    username = new_user(live_app)
    sign_in(page, username)
    page.goto(f"/modules/{MODULE}/quiz")
    answers = quiz_answers(live_app, MODULE, drawn_question_ids(page), right=True)
    phone.set_offline(True)
    answer_quiz_with_mouse(page, answers)
    page.get_by_text(WAITING_ANSWERS).wait_for()

    phone.clear_cookies()  # signed out meanwhile (timed out, or on another device)
    phone.set_offline(False)
    page.get_by_text("Sign in again to send it.").wait_for()
    assert outbox(page) is not None

    sign_in(page, username)  # the next page sends what waited, with a fresh token
    page.wait_for_function(f"() => localStorage.getItem('{OUTBOX}') === null")
    with live_app.app_context():
        user_id = db.session.scalar(select(User.id).filter_by(username=username))
        attempts = db.session.scalars(select(QuizAttempt).filter_by(user_id=user_id)).all()
        assert [(a.submitted_at is not None, a.passed) for a in attempts] == [(True, True)]
