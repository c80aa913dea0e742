"""A trainee studies a module, fails the quiz, retakes it, passes, and gets a certificate."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from academy.core.catalogue import current_catalogue
from tests.browser.helpers import (
    answer_quiz_with_mouse,
    drawn_question_ids,
    new_user,
    quiz_answers,
    sign_in,
    study_every_lesson,
)

MODULE = "peer-role"
TITLE = "The peer advisor's role"


def test_trainee_fails_retakes_passes_and_gets_a_certificate(page, live_app):
    sign_in(page, new_user(live_app))
    expect(page.get_by_role("heading", name="Modules")).to_be_visible()

    study_every_lesson(page, MODULE)
    page.get_by_role("link", name="Take the quiz").click()
    questions = drawn_question_ids(page)
    with live_app.app_context():
        draw = current_catalogue().modules[MODULE].quiz.draw
    assert len(questions) == draw  # the quiz draws that many of its questions
    answer_quiz_with_mouse(page, quiz_answers(live_app, MODULE, questions, right=False))
    expect(page.get_by_text("Not passed yet")).to_be_visible()
    expect(page.locator(".reread").first).to_be_visible()  # what to reread, not the answers

    page.get_by_role("link", name="Try again").click()
    retake = drawn_question_ids(page)
    answer_quiz_with_mouse(page, quiz_answers(live_app, MODULE, retake, right=True))
    expect(page.get_by_role("heading", name="Your result: 100 %")).to_be_visible()
    expect(page.get_by_text("Passed.")).to_be_visible()

    page.goto("/certificates")
    card = page.locator(".card", has_text=TITLE)
    expect(card.get_by_text("Valid").first).to_be_visible()
    code = card.locator("code.code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", code)

    with page.expect_download() as download:
        card.get_by_role("link", name=re.compile("PDF")).click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.goto(f"/verify?code={code}")
    expect(page.get_by_role("heading", name="Valid certificate")).to_be_visible()
    expect(page.get_by_text(TITLE)).to_be_visible()


def test_resuming_opens_the_next_unstudied_lesson(page, live_app):
    sign_in(page, new_user(live_app))
    page.goto(f"/modules/{MODULE}")
    page.get_by_role("link", name=re.compile(r"^Start:")).click()
    first_lesson = page.url
    page.get_by_role("button", name=re.compile("I have studied this lesson")).click()
    page.goto("/modules")
    page.get_by_role("link", name=re.compile(r"^Continue:")).first.click()
    assert page.url != first_lesson and "/lessons/" in page.url
