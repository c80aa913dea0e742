"""The page budget (docs/performance.md): every trainee page, on a first visit, with all
its HTML, CSS, JavaScript, fonts and the web app manifest, at most 30 KB on the wire,
compressed as the app sends it, response headers included. With the real curriculum,
every lesson of every module."""

from __future__ import annotations

import gzip
import re

import pytest

from academy.core import web_fonts
from academy.core.catalogue import current_catalogue
from academy.core.config import PROJECT_ROOT
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.quizzes.models import QuizAttempt
from tests import wrong_answer

BUDGET = 30 * 1024
# gzip, not Brotli: what every browser accepts (over plain HTTP Chromium offers no more),
# and the larger of the two.
ACCEPT = {"Accept-Encoding": "gzip"}
LOADED = re.compile(
    r"<(?:link[^>]*\brel=\"(?:stylesheet|manifest)\"[^>]*\bhref|script[^>]*\bsrc)=\"([^\"]+)\""
)
SWITCHER = re.compile(r'<section class="language-switcher".*?</section>', re.S)

TRAINEE_PAGES = [
    "/modules",
    "/modules/peer-role",
    "/modules/safe-listening",  # with a content warning
    "/modules/peer-role/quiz",
    "/certificates",
    "/certificates/paths",
    "/centres",
    "/account",
    "/account/email",
    "/account/delete",
    "/privacy",
    "/safety",
    "/offline",
    "/verify",
]


@pytest.fixture
def app_config(app_config):
    return app_config | {"ACADEMY_CONTENT_DIR": str(PROJECT_ROOT / "content")}


def on_the_wire(response) -> int:
    """Body as sent plus the status line and headers, as a browser counts a transfer."""
    headers = sum(len(f"{name}: {value}\r\n") for name, value in response.headers.items())
    return len(response.data) + headers + len("HTTP/1.1 200 OK\r\n\r\n")


def wrong_answers(attempt_id: int) -> dict[str, list[str]]:
    """A failed attempt: its result page shows every question with its review."""
    quiz = current_catalogue().modules["peer-role"].quiz
    attempt = db.session.get(QuizAttempt, attempt_id)
    return {f"answer-{qid}": wrong_answer(quiz.question(qid)) for qid in attempt.question_ids}


def first_visit_bytes(client, path: str) -> tuple[int, list[str]]:
    response = client.get(path, headers=ACCEPT)
    assert response.status_code == 200, path
    assert response.headers.get("Content-Encoding") == "gzip", path
    html = gzip.decompress(response.data).decode()
    total, seen = on_the_wire(response), [path]
    for url in LOADED.findall(html):
        asset = client.get(url, headers=ACCEPT, buffered=True)
        total += on_the_wire(asset)
        seen.append(url)
    # A browser fetches a web font only for the characters a page shows in it
    # (unicode-range, docs/accessibility.md); the language switcher names each language
    # in the phone's own fonts, so its العربية fetches none.
    shown = SWITCHER.sub("", html)
    for font in web_fonts.files_needed(shown):
        url = f"/static/fonts/web/{font.filename}"
        total += on_the_wire(client.get(url, headers=ACCEPT, buffered=True))
        seen.append(url)
    return total, seen


def test_every_trainee_page_stays_within_30_kb(client, auth, make_user):
    auth.sign_in(make_user(Role.TRAINEE))
    lessons = [
        f"/modules/peer-role/lessons/{lesson.slug}"
        for lesson in current_catalogue().modules["peer-role"].lessons
    ]
    quiz = client.get("/modules/peer-role/quiz").text
    attempt = re.search(r'action="(/quiz/attempts/\d+)"', quiz).group(1)
    result = client.post(attempt, data=wrong_answers(int(attempt.rsplit("/", 1)[1])))
    assert result.status_code == 302, result.text
    over = {}
    for path in TRAINEE_PAGES + lessons + [attempt]:
        total, seen = first_visit_bytes(client, path)
        assert len(seen) >= 4, seen  # the page, its style sheet, its scripts, the manifest
        if total > BUDGET:
            over[path] = total
    assert not over, over


def test_every_lesson_of_the_curriculum_stays_within_30_kb(client, auth, make_user):
    """Lessons of modules a trainee opens later, seen by an admin (no locks, and a larger
    navigation than a trainee's: an upper bound)."""
    auth.sign_in(make_user(Role.ADMIN))
    sizes = {}
    for module in current_catalogue().modules.values():
        for lesson in module.lessons:
            path = f"/modules/{module.slug}/lessons/{lesson.slug}"
            sizes[path] = first_visit_bytes(client, path)[0]
    assert len(sizes) > 30
    assert not {path: size for path, size in sizes.items() if size > BUDGET}
