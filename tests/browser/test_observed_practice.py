"""A trainer records an observed session on the checklist; the trainee sees what is open.
On a phone and a desktop, without sideways scrolling or serious accessibility problems."""

from __future__ import annotations

from playwright.sync_api import expect

from academy.modules.accounts.services import find_user
from tests.browser.conftest import axe_violations
from tests.browser.helpers import new_user, sign_in

SCENARIO = "Role-play: a client says they do not want to live any more"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_trainer_records_a_session_and_the_trainee_sees_what_is_open(page, live_app):
    trainee = new_user(live_app)
    with live_app.app_context():
        trainee_id = find_user(trainee).id
    sign_in(page, "trainer-one")

    page.goto(f"/trainer/trainees/{trainee_id}")
    page.get_by_role("link", name="Record a session").first.click()
    expect(page.get_by_role("heading", name=SCENARIO)).to_be_visible()
    assert fits_the_screen(page) and not axe_violations(page)

    page.get_by_role("button", name="Record the session").click()  # nothing marked yet
    expect(page.get_by_text("Please mark this criterion: met or not yet.").first).to_be_visible()
    checklist = page.locator("fieldset.checklist")
    for index in range(checklist.count()):
        answer = "Not yet" if index == checklist.count() - 1 else "Met"
        checklist.nth(index).get_by_label(answer, exact=True).check()
    page.get_by_label("Private note (optional)").fill("Practise naming the coordinator.")
    page.get_by_role("button", name="Record the session").click()

    expect(page.get_by_text(f"The session of '{SCENARIO}' is recorded.")).to_be_visible()
    expect(page.get_by_text("Private note: Practise naming the coordinator.")).to_be_visible()
    assert fits_the_screen(page) and not axe_violations(page)

    page.context.clear_cookies()
    sign_in(page, trainee)
    page.goto("/certificates")
    page.get_by_role("link", name="Your certificate paths").click()
    expect(page.get_by_role("heading", name=SCENARIO)).to_be_visible()
    expect(page.locator(".state-not_yet").first).to_be_visible()  # what is still open
    assert page.get_by_text("Practise naming the coordinator.").count() == 0
    assert fits_the_screen(page) and not axe_violations(page)
