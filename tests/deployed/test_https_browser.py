"""Chromium walks the whole loop over HTTPS, against the app as deployed: nginx with TLS
(docs/deploy.md's configuration, a self-signed certificate), `academy serve` with two
gunicorn workers, Secure cookies, ACADEMY_PROXY_FIX=1 and Redis for the rate limits.

Sign in, study, quiz, certificate, PDF, sign out, sign in again, quick exit. Every form
here is a POST over HTTPS, so Flask-WTF's strict Referer check runs on each."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from academy import create_app
from tests.browser.helpers import (
    CHROMIUM,
    answer_quiz_with_mouse,
    drawn_question_ids,
    quiz_answers,
    sign_in,
    study_every_lesson,
)
from tests.deployed.conftest import needs, nginx_or_skip, prepare_database
from tests.deployed.tls_proxy import TlsProxy
from tests.live_servers import neutral_exit_site

MODULE = "peer-role"
TITLE = "The peer advisor's role"
TRAINEE = "peer-over-https"


@pytest.fixture
def exit_site():
    with neutral_exit_site() as url:
        yield url


@pytest.fixture
def deployed(tmp_path, server_env, redis_url, start_server, exit_site):
    nginx = nginx_or_skip()
    if not Path(CHROMIUM).exists():
        needs("Chromium: apt-get install chromium")
    env = server_env | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'academy.sqlite3'}",
        "REDIS_URL": redis_url,
        "ACADEMY_EXIT_URL": exit_site,
    }
    prepare_database(env, TRAINEE)
    server = start_server(env, 2)
    proxy = TlsProxy(nginx, tmp_path / "nginx", [server.port])
    content = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "only-for-reading-the-content",
            "ACADEMY_CONTENT_DIR": env["ACADEMY_CONTENT_DIR"],
            "ACADEMY_INSTANCE_PATH": env["ACADEMY_INSTANCE_PATH"],
        }
    )
    yield proxy, content
    proxy.stop()


@pytest.fixture
def page(deployed, browser):
    proxy, _ = deployed
    # The certificate is self-signed; the page is still an https:// origin to Chromium.
    context = browser.new_context(base_url=proxy.url, ignore_https_errors=True)
    yield context.new_page()
    context.close()


def test_the_whole_loop_over_https(page, deployed, exit_site, password="deployed-test-password"):
    _, content = deployed
    sign_in(page, TRAINEE, password)
    session = next(c for c in page.context.cookies() if c["name"] == "academy_session")
    assert session["secure"] and session["httpOnly"] and session["sameSite"] == "Lax"
    response = page.goto("/modules")
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert response.headers["referrer-policy"] == "same-origin"

    study_every_lesson(page, MODULE)
    page.goto(f"/modules/{MODULE}")
    page.get_by_role("link", name="Take the quiz").click()
    answer_quiz_with_mouse(page, quiz_answers(content, MODULE, drawn_question_ids(page), True))
    expect(page.get_by_text("Passed.")).to_be_visible()

    page.goto("/certificates")
    card = page.locator(".card", has_text=TITLE)
    expect(card.get_by_text("Valid").first).to_be_visible()
    with page.expect_download() as download:
        card.get_by_role("link", name=re.compile("PDF")).click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5000

    # Signing out first sends what waits offline and clears the saved copies, then
    # submits: wait for it to land, or the next navigation is cut short.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto("/modules")
    assert "/sign-in" in page.url, "still signed in after signing out"

    sign_in(page, TRAINEE, password)
    page.locator("a.quick-exit").click()
    page.wait_for_url(exit_site)
    expect(page.get_by_role("heading", name="Weather today")).to_be_visible()
    page.goto(f"{deployed[0].url}/modules")
    assert "/sign-in" in page.url, "the session survived the quick exit"
