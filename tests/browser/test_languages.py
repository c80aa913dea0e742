"""The interface in German and Arabic in a real browser: a German browser walks the
learning loop (catalogue, lesson, quiz, result) with German interface text; in Arabic
every main trainee page is right to left, with the quick exit on the left, and nothing
scrolls sideways on a 360 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    PASSWORD,
    answer_quiz_with_mouse,
    drawn_question_ids,
    new_user,
    quiz_answers,
    set_language,
    study_every_lesson,
)

MODULE = "peer-role"
PHONE = {"width": 360, "height": 780}


@pytest.fixture
def browser_in(browser, base_url):
    """A page whose browser asks for ``locale`` (its Accept-Language)."""
    contexts = []

    def open_page(locale: str, viewport: dict = PHONE):
        context = browser.new_context(locale=locale, viewport=viewport, base_url=base_url)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, username: str, button: str) -> None:
    page.goto("/sign-in")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url("**/modules")


def test_a_german_browser_walks_the_learning_loop_in_german(browser_in, live_app):
    page = browser_in("de-DE", {"width": 1280, "height": 900})
    sign_in(page, new_user(live_app), "Anmelden")
    assert page.locator("html").get_attribute("lang") == "de"
    expect(page.get_by_role("heading", name="Module", exact=True)).to_be_visible()

    page.goto(f"/modules/{MODULE}")
    expect(page.get_by_role("heading", name="Lektionen")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Starten:")).click()
    expect(page.get_by_text(re.compile(r"Lektion 1 von \d+"))).to_be_visible()
    study_every_lesson(page, MODULE, r"^(Starten|Weiter):", "Ich habe diese Lektion gelernt")

    page.get_by_role("link", name="Zum Quiz").click()
    expect(
        page.get_by_text(re.compile(r"\d+ Fragen\. Sie bestehen mit \d+\s% oder mehr\."))
    ).to_be_visible()
    answers = quiz_answers(live_app, MODULE, drawn_question_ids(page), right=True)
    answer_quiz_with_mouse(page, answers, send="Meine Antworten abschicken")

    expect(page.get_by_role("heading", name="Ihr Ergebnis: 100\u00a0%")).to_be_visible()
    expect(page.get_by_text("Bestanden.")).to_be_visible()
    page.get_by_role("link", name="Ihre Zertifikate").click()
    expect(page.get_by_role("heading", name="Ihre Zertifikate")).to_be_visible()
    assert page.locator(".badge-valid", has_text="Gültig").count() == 1


def assert_right_to_left_without_sideways_scrolling(page) -> None:
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl"), page.url
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"
    # the quick exit sits where a right-to-left reader's line ends: on the left
    box = page.locator(".quick-exit-bar .quick-exit").bounding_box()
    left_gap, right_gap = box["x"], PHONE["width"] - box["x"] - box["width"]
    assert left_gap < right_gap and left_gap < 24, (page.url, box)


def test_arabic_pages_are_right_to_left_and_fit_a_360_px_phone(browser_in, live_app):
    page = browser_in("ar")
    for path in ("/", "/sign-in", "/verify", "/safety"):
        page.goto(path)
        assert_right_to_left_without_sideways_scrolling(page)

    username = new_user(live_app)
    set_language(live_app, username, "ar")
    sign_in(page, username, "تسجيل الدخول")
    expect(page.get_by_role("heading", name="الوحدات")).to_be_visible()
    for path in ("/modules", f"/modules/{MODULE}", "/certificates", "/account"):
        page.goto(path)
        assert_right_to_left_without_sideways_scrolling(page)

    page.goto(f"/modules/{MODULE}")
    page.get_by_role("link", name=re.compile("^ابدأ:")).click()
    assert_right_to_left_without_sideways_scrolling(page)
    page.goto(f"/modules/{MODULE}/quiz")
    assert_right_to_left_without_sideways_scrolling(page)
    answers = quiz_answers(live_app, MODULE, drawn_question_ids(page), right=False)
    answer_quiz_with_mouse(page, answers, send="أرسل إجاباتي")
    expect(page.get_by_role("heading", name=re.compile("^نتيجتك:"))).to_be_visible()
    assert_right_to_left_without_sideways_scrolling(page)


def test_the_switcher_works_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, base_url=base_url, locale="en")
    page = context.new_page()
    page.goto("/verify")
    page.get_by_role("link", name="Română").click()
    assert page.url.endswith("/verify")
    expect(page.get_by_role("heading", name="Verificați un certificat")).to_be_visible()
    context.close()
