"""A quiz can be completed with the keyboard alone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import ask_every_type, new_user, quiz_answers, sign_in

MODULE = "peer-role"
MAX_PRESSES = 400


def active(page) -> dict:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName, name: document.activeElement.name || '',"
        " value: document.activeElement.value || '', type: document.activeElement.type || '',"
        " text: document.activeElement.textContent.trim()})"
    )


def tab_until(page, predicate) -> dict:
    for _ in range(MAX_PRESSES):
        page.keyboard.press("Tab")
        element = active(page)
        if predicate(element):
            return element
    raise AssertionError("Tab never reached the element")


def test_a_quiz_can_be_passed_with_the_keyboard_alone(page, live_app):
    sign_in(page, new_user(live_app, password="browser-test-password"))
    questions = ask_every_type(live_app, page, MODULE)  # radios, checkboxes and selects
    answers = quiz_answers(live_app, MODULE, questions, right=True)

    for qid in questions:
        name = f"answer-{qid}"
        element = tab_until(page, lambda e, name=name: e["name"] == name)
        if element["type"] == "radio":
            target = answers[qid][0]
            for _ in range(10):
                if active(page)["value"] == target:
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
        elif element["tag"] == "SELECT":  # steps to order: one select per place
            for place, target in enumerate(answers[qid]):
                if place:
                    page.keyboard.press("Tab")
                for _ in range(12):
                    if active(page)["value"] == target:
                        break
                    page.keyboard.press("ArrowDown")
        else:
            while active(page)["name"] == name:
                if active(page)["value"] in answers[qid]:
                    page.keyboard.press("Space")
                page.keyboard.press("Tab")
            page.keyboard.press("Shift+Tab")

    tab_until(page, lambda e: e["tag"] == "BUTTON" and "Send my answers" in e["text"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/quiz/attempts/*")
    expect(page.get_by_role("heading", name="Your result: 100 %")).to_be_visible()
