"""Every page each role can reach, on a 360 px phone: it fits (no sideways scrolling),
axe-core finds no serious or critical violation, and every Tab stop is fully visible.

The pages come from the URL map and the access-control table (page_walk.py), with seeded
content on each; one browser session per role walks them all, and every problem of every
page is reported together. docs/testing.md, "Every page, every role".
"""

from __future__ import annotations

import pytest
from helpers import sign_in
from page_checks import axe_context, axe_problems, focus_problems, layout_problems
from page_walk import NOT_PAGES, PAGE_ARGS, ROLES, Site, page_endpoints, pages_for, seed_site

from tests.core.access_control.table import EXPECTED

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def site(live_app) -> Site:
    with live_app.app_context():
        return seed_site()


def walk_problems(page, path: str) -> list[str]:
    problems = layout_problems(page) + axe_problems(page) + focus_problems(page)
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
    problems += [f"{e}: in NOT_PAGES, but no such endpoint" for e in NOT_PAGES - set(
        r.endpoint for r in live_app.url_map.iter_rules()
    )]
    assert not problems, "\n".join(problems)


def make_invitation_link(page) -> None:
    page.goto("/invitations")
    page.get_by_role("button", name="Create an invitation link").click()
    assert page.get_by_role("textbox", name="Invitation link").input_value().startswith("http")


def make_api_token(page) -> None:
    page.goto("/centre/tokens")
    page.get_by_label("Name of the token").fill("Rota planner for the Monday evening group")
    page.get_by_role("button", name="Create a token").click()
    assert page.get_by_text("only this once").count()


# What each role makes in the walk, to see the page that shows it once.
ACTIONS = {
    "trainer": [make_invitation_link],
    "coordinator": [make_invitation_link, make_api_token],
    "admin": [make_invitation_link],
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
        for path in pages_for(live_app, site, role):
            page.goto(path)
            problems += walk_problems(page, path)
        for action in ACTIONS.get(role, []):
            action(page)
            problems += walk_problems(page, f"{page.url} after {action.__name__}")
    finally:
        context.close()
    assert not problems, f"{len(problems)} problem(s) for {role}:\n" + "\n".join(problems)
