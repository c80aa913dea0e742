"""axe-core finds no serious or critical accessibility problems on the main pages."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import axe_violations
from tests.browser.helpers import (
    answer_quiz_with_mouse,
    drawn_question_ids,
    new_user,
    quiz_answers,
    sign_in,
)

PUBLIC_PAGES = ["/", "/sign-in", "/verify", "/verify?code=0000-0000-0000-0000-0000"]
TRAINEE_PAGES = [
    "/modules",
    "/modules/safe-listening",
    "/modules/peer-role",
    "/modules/peer-role/quiz",
    "/certificates",
    "/account",
]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_accessibility_violations(page, path):
    page.goto(path)
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_trainee_pages_have_no_serious_accessibility_violations(page, live_app):
    sign_in(page, new_user(live_app))
    page.goto("/modules/peer-role")
    page.get_by_role("link", name=re.compile(r"^Start:")).click()
    pages = [*TRAINEE_PAGES, page.url]
    for path in pages:
        page.goto(path)
        violations = axe_violations(page)
        assert not violations, f"{path}:\n{describe(violations)}"

    page.goto("/modules/peer-role/quiz")
    questions = drawn_question_ids(page)
    answer_quiz_with_mouse(page, quiz_answers(live_app, "peer-role", questions, right=False))
    violations = axe_violations(page)
    assert not violations, f"quiz result:\n{describe(violations)}"
