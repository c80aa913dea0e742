"""A trainer reads how each question of a quiz performs, on a phone too, and downloads it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts.services import find_user
from academy.modules.quizzes import services as quizzes
from tests import right_answers, wrong_answers
from tests.browser.conftest import axe_violations
from tests.browser.helpers import new_user, sign_in

PHONE = {"width": 360, "height": 780}  # the narrowest screen the pages are made for


def seed_attempts(app, count: int = 20) -> tuple[str, list[str]]:
    """First attempts at the peer advisor's role by new trainees (enough for figures on
    most of its questions, as each draws 8 of 22), half of them all right:
    the module's title and the trainees' display names."""
    with app.app_context():
        module = current_catalogue().modules["peer-role"]
    names = []
    for number in range(count):
        name = new_user(app)
        with app.app_context():
            user = find_user(name)
            names.append(user.display_name)
            attempt = quizzes.open_attempt(user.id, module)
            pick = right_answers if number % 2 else wrong_answers
            answers = pick(module.slug, attempt.question_ids)
            quizzes.submit_attempt(user.id, attempt.id, answers)
            db.session.commit()
    return module.title, names


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_trainer_reads_the_figures_on_a_phone_and_downloads_them(page, live_app):
    title, trainees = seed_attempts(live_app)
    sign_in(page, "trainer-one")

    page.get_by_role("link", name="Item analysis").click()
    module = page.locator("section", has=page.get_by_role("heading", name=title))
    module.get_by_role("link", name=re.compile(r"^Version ")).first.click()

    expect(page.get_by_role("heading", level=1, name=re.compile(title))).to_be_visible()
    text = page.locator("main").inner_text()
    assert "point-biserial correlation" in text
    assert "Facility" in text and "How often each option was chosen" in text
    assert not any(name in text for name in trainees)
    page.get_by_text("What the figures mean", exact=True).click()
    expect(page.get_by_text("Too easy: over 90 % right.")).to_be_visible()
    assert not axe_violations(page)
    assert not scrolls_sideways(page)
    page.set_viewport_size(PHONE)
    assert not scrolls_sideways(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures as CSV").click()
    assert download.value.suggested_filename.startswith("item-analysis-peer-role-")
    lines = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    assert lines[0].startswith("module,version,number,question,question_text,option")
    assert len(lines) > 1
