"""A coordinator checks the clearance matrix and downloads it."""

from __future__ import annotations

from playwright.sync_api import expect

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.accounts.services import find_user
from academy.modules.centres import clearance, coordinators, membership, tasks
from academy.modules.certificates import services as certificates
from tests.browser.conftest import axe_violations
from tests.browser.helpers import new_user, sign_in


def seed_centre(app) -> tuple[str, str, str]:
    """A centre with one task and two sharing peers: one cleared, one missing a module."""
    coordinator = new_user(app, Role.CENTRE)
    cleared, missing = new_user(app), new_user(app)
    with app.app_context():
        centre = coordinators.create_centre(f"Centre of {coordinator}", find_user(coordinator))
        tasks.save_task(centre, "Accompany a client", "", ["module:peer-role"])
        for name in (cleared, missing):
            membership.join_centre(find_user(name), centre.invite_code, consent=True)
        module = current_catalogue().modules["peer-role"]  # its current content version
        certificates.issue_or_renew(
            find_user(cleared), "module", "peer-role", module.title, module.version, 24
        )
        db.session.commit()
        names = [find_user(n).display_name for n in (cleared, missing)]
    return coordinator, *names


def test_a_coordinator_sees_who_is_cleared_and_downloads_the_matrix(page, live_app):
    coordinator, cleared_name, missing_name = seed_centre(live_app)
    sign_in(page, coordinator)

    page.goto("/centre/matrix")
    table = page.locator("table.matrix")
    expect(table.get_by_role("columnheader", name="Accompany a client")).to_be_visible()
    cleared_row = table.locator("tr", has=page.get_by_role("rowheader", name=cleared_name))
    missing_row = table.locator("tr", has=page.get_by_role("rowheader", name=missing_name))
    assert "Cleared" in cleared_row.inner_text()
    assert "Missing: 1" in missing_row.inner_text()
    assert not axe_violations(page)

    # What is missing is one click away, on the peer's page.
    missing_row.get_by_role("link", name=missing_name).click()
    expect(page.get_by_role("heading", level=1, name=missing_name)).to_be_visible()
    assert "Missing: The peer advisor's role" in page.locator("table").inner_text()
    page.go_back()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert cleared_name in text and missing_name in text


def test_a_coordinator_pages_through_the_matrix(page, live_app, monkeypatch):
    monkeypatch.setattr(clearance, "MATRIX_PAGE_SIZE", 1)  # the live app runs in this process
    coordinator, *names = seed_centre(live_app)
    sign_in(page, coordinator)

    page.goto("/centre/matrix")
    pages = page.get_by_role("navigation", name="Pages of the matrix")
    assert "Page 1 of 2" in pages.inner_text()
    seen = [page.get_by_role("rowheader").inner_text()]
    assert not axe_violations(page)

    pages.get_by_role("link", name="Next peers").click()
    assert "Page 2 of 2" in pages.inner_text()
    seen.append(page.get_by_role("rowheader").inner_text())
    assert sorted(seen) == sorted(names)
    assert pages.get_by_role("link", name="Next peers").count() == 0
    pages.get_by_role("link", name="Previous peers").click()
    assert page.get_by_role("rowheader").inner_text() == seen[0]
