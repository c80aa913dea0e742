"""A failed attempt shows which questions went wrong and what to reread, never a right
option; after the third failure in a row the quiz says when it opens again."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from academy.core.dates import local, local_text
from academy.core.extensions import db
from academy.core.markdown import html_to_text
from academy.modules.accounts.models import User
from academy.modules.quizzes.models import QuizAttempt
from tests.browser.conftest import axe_violations
from tests.browser.helpers import (
    answer_quiz_with_mouse,
    drawn_question_ids,
    new_user,
    quiz_answers,
    sign_in,
)

MODULE = "peer-role"


def fail_once(page, app) -> int:
    """Answer every drawn question wrong; the number of questions."""
    page.goto(f"/modules/{MODULE}/quiz")
    questions = drawn_question_ids(page)
    answer_quiz_with_mouse(page, quiz_answers(app, MODULE, questions, right=False))
    page.wait_for_url("**/quiz/attempts/*")
    return len(questions)


def assert_wait_shown(page, shown: str, moment: str) -> None:
    wait = page.locator(".wait strong")
    expect(wait).to_be_visible()
    assert wait.inner_text() == shown
    assert wait.locator("time").get_attribute("datetime") == moment


def right_option_texts(app, page) -> list[str]:
    """The texts of the right options of the questions on this result page."""
    from academy.core.catalogue import current_catalogue

    prompts = page.locator(".review > li h2").all_inner_texts()
    with app.app_context():
        quiz = current_catalogue().modules[MODULE].quiz
        return [
            option_text
            for question in quiz.questions
            if question.text in prompts
            for option_text in (html_to_text(o.html) for o in question.options if o.correct)
        ]


def test_a_failed_attempt_shows_no_key_and_the_third_says_when_the_quiz_opens(page, live_app):
    name = new_user(live_app)
    sign_in(page, name)

    drawn = fail_once(page, live_app)

    expect(page.get_by_role("heading", name="Your result: 0 %")).to_be_visible()
    expect(page.get_by_text("The right answers are shown once you have passed.")).to_be_visible()
    assert page.locator(".verdict", has_text="Not right").count() == drawn
    reread = page.locator(".reread a").first
    expect(reread).to_be_visible()
    assert f"/modules/{MODULE}/lessons/" in reread.get_attribute("href")
    marks = set(page.locator(".options .marks").all_inner_texts())
    places = {f"{n}." for n in range(1, 11)}  # an ordering question's places, in order
    assert marks - places <= {"", "Your answer", "Your answer — not right"}  # no key
    assert page.locator(".options .correct, .explanation, [data-correct]").count() == 0
    html = page.content()
    assert "<!--" not in html
    for text in right_option_texts(live_app, page):  # shown as plain options, unmarked
        item = page.locator(".options li", has_text=text).first
        assert item.get_attribute("class") in {None, ""}
        assert item.locator(".marks").inner_text() in {"", *places}
    assert axe_violations(page) == []

    fail_once(page, live_app)
    fail_once(page, live_app)

    with live_app.app_context():
        last = db.session.scalars(
            select(QuizAttempt)
            .join(User, User.id == QuizAttempt.user_id)
            .where(User.username == name, QuizAttempt.submitted_at.is_not(None))
            .order_by(QuizAttempt.id.desc())
        ).first()
        opens_at = last.submitted_at + timedelta(hours=24)
        shown = f"Your next try opens on {local_text(opens_at)}."
        moment = local(opens_at).isoformat(timespec="minutes")
    assert_wait_shown(page, shown, moment)
    assert page.get_by_role("link", name="Try again").count() == 0

    page.goto(f"/modules/{MODULE}/quiz")
    assert_wait_shown(page, shown, moment)
    assert page.get_by_role("button", name="Send my answers").count() == 0
    meanwhile = page.locator(".wait .reread-list a").first  # what to reread meanwhile
    expect(meanwhile).to_be_visible()
    assert f"/modules/{MODULE}/lessons/" in meanwhile.get_attribute("href")
    assert axe_violations(page) == []

    page.goto(f"/modules/{MODULE}")
    assert_wait_shown(page, shown, moment)
    assert page.get_by_role("link", name="Take the quiz").count() == 0
