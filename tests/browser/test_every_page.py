"""Every page each role can reach, on a 360 px phone: it fits (no sideways scrolling),
axe-core finds no serious or critical violation, and every Tab stop is fully visible.

The pages come from the URL map and the access-control table (page_walk.py), with seeded
content on each; one browser session per role walks them all, and every problem of every
page is reported together. docs/testing.md, "Every page, every role".
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.browser.page_checks import axe_context, axe_problems, focus_problems, layout_problems
from tests.browser.page_walk import (
    NOT_PAGES,
    PAGE_ARGS,
    ROLES,
    Site,
    page_endpoints,
    pages_for,
    seed_site,
)
from tests.core.access_control.table import EXPECTED

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def site(live_app) -> Site:
    with live_app.app_context():
        return seed_site()


def walk_problems(page, path: str, main: bool = True) -> list[str]:
    """Every check on the page; the Tab walk on an endpoint's main variant only (the other
    lessons and quizzes share its template)."""
    problems = layout_problems(page) + axe_problems(page)
    if main:
        problems += focus_problems(page)
    return [f"{path}: {problem}" for problem in problems]


def test_every_page_endpoint_is_walked(live_app):
    """A page with URL arguments needs them in PAGE_ARGS; an endpoint that is not an HTML
    page is named in NOT_PAGES; every page has its row in the access-control table."""
    problems = []
    for endpoint in page_endpoints(live_app):
        if ("GET", endpoint) not in EXPECTED:
            problems.append(f"{endpoint}: no row in the access-control table")
        rule = next(r for r in live_app.url_map.iter_rules(endpoint))
        if rule.arguments and endpoint not in PAGE_ARGS:
            problems.append(f"{endpoint}: has URL arguments, but no entry in PAGE_ARGS")
    problems += [
        f"{e}: in NOT_PAGES, but no such endpoint"
        for e in NOT_PAGES - set(r.endpoint for r in live_app.url_map.iter_rules())
    ]
    assert not problems, "\n".join(problems)


def make_invitation_link(page, site: Site) -> None:
    page.goto("/invitations")
    page.get_by_role("button", name="Create an invitation link").click()
    assert page.get_by_role("textbox", name="Invitation link").input_value().startswith("http")


def make_api_token(page, site: Site) -> None:
    page.goto("/centre/tokens")
    page.get_by_label("Name of the token").fill("Rota planner for the Monday evening group")
    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_text("only this once")).to_be_visible()


def make_reset_link(page, site: Site) -> None:
    page.goto(f"/accounts/{site.trainee_id}/reset-link")
    page.get_by_role("button", name="Make a reset link").click()
    assert page.get_by_role("textbox", name="Reset link").input_value().startswith("http")


# What each role makes in the walk, to see the page that shows it once.
ACTIONS = {
    "trainer": [make_invitation_link, make_reset_link],
    "coordinator": [make_invitation_link, make_api_token, make_reset_link],
    "admin": [make_invitation_link, make_reset_link],
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone_passes_axe_and_shows_each_focus(
    browser, base_url, live_app, site, role
):
    context = axe_context(browser, base_url, PHONE)
    page = context.new_page()
    try:
        if role != "anonymous":
            sign_in(page, site.usernames[role])
        problems = []
        seen = set()  # a page that redirects to one already walked (signed in: /sign-in)
        for path, main in pages_for(live_app, site, role):
            page.goto(path)
            if page.url not in seen:
                seen.add(page.url)
                problems += walk_problems(page, path, main)
        for action in ACTIONS.get(role, []):
            action(page, site)
            problems += walk_problems(page, f"{page.url} after {action.__name__}")
    finally:
        context.close()
    assert not problems, f"{len(problems)} problem(s) for {role}:\n" + "\n".join(problems)


def test_the_clearance_matrix_shows_every_task_and_scrolls_on_its_own_on_a_phone(
    browser, base_url, site
):
    """Five tasks: every column in view on a desktop; on a phone the page stays put and
    the matrix is a named region that the keyboard scrolls."""
    context = browser.new_context(viewport=DESKTOP, base_url=base_url)
    page = context.new_page()
    try:
        sign_in(page, site.usernames["coordinator"])
        page.goto("/centre/matrix")
        matrix = page.get_by_role("region", name="Clearance matrix 2 peers × 5 tasks")
        box = matrix.bounding_box()
        headers = matrix.get_by_role("columnheader")
        assert headers.count() == 6  # the peer and five tasks
        for header in headers.all():
            cell = header.bounding_box()
            assert box["x"] <= cell["x"] and cell["x"] + cell["width"] <= box["x"] + box["width"]
            assert cell["x"] + cell["width"] <= DESKTOP["width"], header.inner_text()
        assert matrix.evaluate("m => m.scrollWidth <= m.clientWidth")

        page.set_viewport_size(PHONE)
        page.reload()
        assert page.evaluate("() => innerWidth >= document.documentElement.scrollWidth")
        assert matrix.evaluate("m => m.scrollWidth > m.clientWidth")
        matrix.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        # the key scrolls smoothly (or after a frame): wait for it, a second at most
        page.wait_for_function("m => m.scrollLeft > 0", arg=matrix.element_handle(), timeout=1000)
    finally:
        context.close()


def test_a_modules_progress_stays_on_one_line_on_a_phone(browser, base_url, site):
    """ "0 % done" once broke into "0 %" and "done" beside the progress bar, on phones a
    little wider than the narrowest."""
    context = browser.new_context(viewport=PHONE, base_url=base_url)
    page = context.new_page()
    try:
        sign_in(page, site.usernames["trainee"])
        for width in range(PHONE["width"], 481, 10):
            page.set_viewport_size({"width": width, "height": PHONE["height"]})
            labels = page.get_by_text(re.compile(r"^\d+\s*%\s*done$"))
            assert labels.count() >= 2
            for label in labels.all():
                lines = label.evaluate("l => l.getClientRects().length")
                assert lines == 1, f"{label.inner_text()!r} on {lines} lines at {width} px"
    finally:
        context.close()
