"""The quick exit leaves at once, ends the session, and Back does not bring the page back."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import new_user, sign_in
from tests.browser.page_checks import FOCUSED

LESSON = "/modules/peer-role/lessons/what-a-peer-advisor-does"


def assert_left_for_good(page, exit_site: str) -> None:
    page.wait_for_url(exit_site)
    expect(page.get_by_role("heading", name="Weather today")).to_be_visible()
    page.go_back()
    assert not re.search(r"/lessons/", page.url), "Back returned to the lesson"
    page.goto("/modules")
    assert "/sign-in" in page.url, "the session survived the quick exit"


def test_the_leave_button_exits_and_ends_the_session(page, live_app, exit_site):
    sign_in(page, new_user(live_app))
    page.goto(LESSON)
    page.locator("a.quick-exit").click()
    assert_left_for_good(page, exit_site)


def test_pressing_shift_three_times_exits(page, live_app, exit_site):
    sign_in(page, new_user(live_app))
    page.goto(LESSON)
    for _ in range(3):
        page.keyboard.press("Shift")
    assert_left_for_good(page, exit_site)


def test_the_exit_link_is_the_first_stop_for_the_keyboard(page, live_app, exit_site):
    sign_in(page, new_user(live_app))
    page.goto(LESSON)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Leave this page" in focused
    page.keyboard.press("Enter")
    assert_left_for_good(page, exit_site)


def test_without_javascript_the_button_still_signs_out_and_leaves(browser, base_url, live_app):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, new_user(live_app))
        page.goto(LESSON)
        page.locator("a.quick-exit").click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", name="Weather today")).to_be_visible()
        page.goto("/modules")
        assert "/sign-in" in page.url
    finally:
        context.close()


def test_the_first_two_tab_stops_show_above_the_quick_exit_bar(page, live_app):
    """Tab then Enter leaves: the keyboard user sees the link before pressing Enter."""
    sign_in(page, new_user(live_app))
    page.goto(LESSON)
    for name in ("Leave this page quickly (press Shift 3 times)", "Skip to content"):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == name
        assert page.evaluate(FOCUSED) == {}, name  # fully in view, nothing over it
