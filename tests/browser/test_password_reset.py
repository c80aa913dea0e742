"""A way back in: a trainer makes a reset link for a trainee who forgot their password; the
trainee opens it on their phone, chooses a new password and signs in with it; the session
left open on another device ends. On a phone and a desktop, without sideways scrolling or
serious accessibility problems."""

from __future__ import annotations

from playwright.sync_api import expect

from academy.modules.accounts.models import Role
from academy.modules.accounts.services import find_user
from tests.browser.conftest import axe_violations
from tests.browser.helpers import new_user, sign_in

NEW_PASSWORD = "a new password for spring"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_trainee_gets_back_in_with_a_reset_link(page, live_app, browser, base_url):
    trainer, trainee = new_user(live_app, Role.TRAINER), new_user(live_app)
    with live_app.app_context():
        trainee_id = find_user(trainee).id
    other_device = browser.new_context(base_url=base_url).new_page()
    sign_in(other_device, trainee)

    sign_in(page, trainer)
    page.goto(f"/trainer/trainees/{trainee_id}")
    page.get_by_role("link", name="Forgotten password? Make a reset link").click()
    page.get_by_role("button", name="Make a reset link").click()
    link = page.get_by_role("textbox", name="Reset link").input_value()
    assert "/reset-password/" in link
    expect(page.get_by_text("only this once")).to_be_visible()
    assert fits_the_screen(page) and not axe_violations(page)

    page.context.clear_cookies()  # the trainee's phone
    page.goto(link)
    assert fits_the_screen(page) and not axe_violations(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    page.wait_for_url("**/sign-in")
    expect(page.get_by_text("every other sign-in has ended")).to_be_visible()
    sign_in(page, trainee, NEW_PASSWORD)

    other_device.goto("/modules")
    assert "/sign-in" in other_device.url  # the session on the other device ended
    other_device.context.close()

    page.context.clear_cookies()
    page.goto(link)  # spent
    expect(page.get_by_role("heading", name="This reset link cannot be used")).to_be_visible()
    assert fits_the_screen(page) and not axe_violations(page)
