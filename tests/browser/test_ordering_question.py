"""The peer-role quiz's ordering question, answered in Chromium with JavaScript off, on a
phone and on a desktop: labelled selects, no sideways scrolling, no axe violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, axe_violations
from tests.browser.helpers import (
    answer_quiz_with_mouse,
    ask_every_type,
    new_user,
    quiz_answers,
    sign_in,
)

MODULE = "peer-role"
ORDERING = "q-danger-now-order"


@pytest.fixture(params=sorted(VIEWPORTS))
def page_without_javascript(request, browser, base_url):
    context = browser.new_context(
        viewport=VIEWPORTS[request.param], base_url=base_url, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_steps_are_put_in_order_without_javascript(page_without_javascript, live_app):
    page = page_without_javascript
    sign_in(page, new_user(live_app))
    questions = ask_every_type(live_app, page, MODULE)

    places = [page.get_by_label(f"{n} step", exact=True) for n in ("First", "Second", "Third")]
    assert all(place.is_visible() for place in places)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # no sideways scrolling, on a phone too
    assert not axe_violations_without_scripts(page)

    answer_quiz_with_mouse(page, quiz_answers(live_app, MODULE, questions, right=True))

    page.wait_for_url("**/quiz/attempts/*")
    expect(page.get_by_role("heading", name="Your result: 100 %")).to_be_visible()
    expect(page.get_by_text("The right order")).to_be_visible()


def test_a_place_left_empty_is_named_and_the_chosen_steps_stay(page, live_app):
    sign_in(page, new_user(live_app))
    questions = ask_every_type(live_app, page, MODULE)
    answers = quiz_answers(live_app, MODULE, questions, right=True)
    answers[ORDERING] = answers[ORDERING][:2] + [""] + answers[ORDERING][3:]

    answer_quiz_with_mouse(page, answers)

    number = questions.index(ORDERING) + 1
    expect(page.get_by_text(f"Question {number} has no step in place 3")).to_be_visible()
    assert page.get_by_label("First step", exact=True).input_value() == answers[ORDERING][0]
    assert page.get_by_label("Third step", exact=True).input_value() == ""
    assert not axe_violations(page)


def axe_violations_without_scripts(page) -> list[dict]:
    """axe needs JavaScript: check the same page again in a context that allows it."""
    context = page.context.browser.new_context(
        viewport=page.viewport_size, base_url=page.url.split("/modules")[0]
    )
    context.add_cookies(page.context.cookies())
    checked = context.new_page()
    checked.goto(page.url)
    violations = axe_violations(checked)
    context.close()
    return violations
