"""The "Staying safe online" page: honest about what the quick exit does and does not do."""

from __future__ import annotations

import pytest

from academy.core.config import DEFAULT_EXIT_URL, DEFAULT_SUPPORT_TEXT


def test_anyone_can_read_the_safety_page(client):
    response = client.get("/safety")

    assert response.status_code == 200
    assert "<h1>Staying safe online</h1>" in response.text
    assert response.headers["Cache-Control"] == "no-store"


def test_it_explains_the_button_and_the_shortcut(client):
    page = client.get("/safety").text

    assert "<strong>Leave this page</strong> button" in page
    assert "press the <kbd>Shift</kbd> key 3 times" in page
    assert "you are signed out" in page
    assert "the Back button does not bring this page back" in page
    assert DEFAULT_EXIT_URL in page  # where the button goes
    assert "works without JavaScript" in page


def test_it_says_honestly_what_the_button_does_not_do(client):
    page = client.get("/safety").text

    assert "What the button does not do" in page
    assert "It does not delete your browsing history." in page
    assert "does not hide your visit from the network" in page
    assert "does not close other tabs or windows" in page


def test_it_explains_private_browsing_on_phones_and_computers(client):
    page = client.get("/safety").text

    assert "How to browse privately" in page
    assert "Incognito" in page and "Private" in page  # Chrome / Safari on a phone
    assert "<kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>N</kbd>" in page
    assert "<kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>P</kbd>" in page
    assert "delete this site from your history" in page
    assert "a phone or computer that only you can open" in page
    assert "shares an account with someone else" in page


def test_it_shows_the_general_support_text(client):
    assert DEFAULT_SUPPORT_TEXT.replace("'", "&#39;") in client.get("/safety").text


@pytest.mark.parametrize(
    "app_config",
    [{"ACADEMY_SUPPORT_TEXT": "Call Anna at the drop-in, 0123 456."}],
    indirect=True,
)
def test_the_operator_sets_the_support_text(client):
    assert "Call Anna at the drop-in, 0123 456." in client.get("/safety").text


def test_every_page_links_to_it_in_the_footer(client):
    for path in ("/", "/sign-in", "/verify", "/no-such-page"):
        page = client.get(path).text
        footer = page[page.index('<footer class="site-footer">') :]
        assert '<a href="/safety">Staying safe online</a>' in footer
