"""A coordinator fills in the centre's facts; a peer of the centre reads them in the crisis
lesson, a peer without a centre reads what to ask. On a phone and a desktop, without
sideways scrolling (a long value without spaces included) or serious accessibility
problems."""

from __future__ import annotations

from playwright.sync_api import expect

from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.accounts.services import find_user
from academy.modules.centres import coordinators, membership
from tests.browser.conftest import axe_violations
from tests.browser.helpers import new_user, sign_in

LESSON = "/modules/peer-role/lessons/handing-over-to-the-centre"
LONG_VALUE = "Call0301234560011122233344455566677788899900" * 3  # no place to break


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_peer_reads_the_facts_their_coordinator_filled_in(page, live_app):
    coordinator, peer, other = (
        new_user(live_app, Role.CENTRE),
        new_user(live_app),
        new_user(live_app),
    )
    with live_app.app_context():
        centre = coordinators.create_centre(f"Centre of {coordinator}", find_user(coordinator))
        membership.join_centre(find_user(peer), centre.invite_code, consent=True)
        db.session.commit()

    sign_in(page, coordinator, landing="**/*")
    page.goto("/centre/facts")
    assert fits_the_screen(page) and not axe_violations(page)
    page.get_by_label("The centre's own emergency number").fill("<b>030 123 456 00</b>")
    page.get_by_label("Out-of-hours number (evenings, nights, weekends)").fill(LONG_VALUE)
    page.get_by_role("button", name="Save the facts").click()
    expect(page.get_by_text("The facts are saved.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, peer)
    page.goto(LESSON)
    box = page.locator(".admonition.note", has_text="At your centre")
    expect(box.get_by_text("Emergency number: <b>030 123 456 00</b>")).to_be_visible()
    expect(box.get_by_text(LONG_VALUE)).to_be_visible()
    assert "Ask your coordinator for their work number" in box.inner_text()  # not filled in
    assert fits_the_screen(page) and not axe_violations(page)

    page.context.clear_cookies()
    sign_in(page, other)
    page.goto(LESSON)
    text = page.locator(".admonition.note", has_text="At your centre").inner_text()
    assert "030 123 456 00" not in text and LONG_VALUE not in text
    assert "In danger, call 112." in text
