"""The public privacy notice: plain words for trainees, true to the app, no operator detail."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.conftest import build_config

# Operator detail belongs in docs/privacy.md, which the app does not serve.
OPERATOR_DETAIL = ("ACADEMY_", "cron", "nginx", "academy prune", "PostgreSQL", "Redis", "`")
LONGEST_SENTENCE = 25  # words; the curriculum's plain-language check warns above 30


@pytest.fixture
def app_config(tmp_path) -> dict:
    return build_config(tmp_path, ACADEMY_AUDIT_LOG_DAYS=77, ACADEMY_INACTIVE_DAYS=400)


def main_text(page: str) -> str:
    main = page.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_the_notice_is_public_and_links_the_data_rights_pages(client):
    response = client.get("/privacy")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    for link in ('href="/account/data.json"', 'href="/account/delete"', 'href="/account/email"'):
        assert link in page
    text = main_text(page)
    assert text.startswith("Your privacy Peer Academy is a training platform for peer support.")
    for topic in ("What we store", "Who can see it", "How long we keep it", "Download or delete"):
        assert topic in text


def test_the_notice_states_the_configured_retention(client):
    text = main_text(client.get("/privacy").get_data(as_text=True))
    assert "If you do not use your account for 400 days" in text
    assert "We delete these notes after 77 days." in text


def test_the_notice_says_what_a_certificate_check_shows(client):
    text = main_text(client.get("/privacy").get_data(as_text=True))
    assert (
        "They see only your display name, the skill, the dates and whether it is still valid."
        in (text)
    )
    assert "but only if you agree" in text  # centres


def sentences(page: str) -> list[str]:
    """The sentences of each paragraph, list item and heading of the page's main part."""
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    blocks = re.findall(r"<(p|li|h1|h2)\b[^>]*>(.*?)</\1>", main, re.DOTALL)
    texts = [" ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split()) for _, body in blocks]
    return [s for text in texts for s in re.split(r"(?<=[.!?])\s+", text) if s]


def test_the_notice_keeps_operator_detail_out_and_sentences_short(client):
    page = client.get("/privacy").get_data(as_text=True)
    text = main_text(page)
    assert [word for word in OPERATOR_DETAIL if word.lower() in text.lower()] == []
    found = sentences(page)
    assert len(found) > 30  # the notice, not an empty page
    longest = max(found, key=lambda sentence: len(sentence.split()))
    assert len(longest.split()) <= LONGEST_SENTENCE, longest
