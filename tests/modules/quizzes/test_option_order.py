"""Options are shuffled for each attempt, the same within it (reload, second tab, kept
answers, result page), and kept as written where the author pinned them."""

from __future__ import annotations

import re
import shutil

import pytest

from academy.core.catalogue import current_catalogue
from academy.modules.quizzes import services as quizzes
from tests import as_form
from tests.conftest import FIXTURE_CONTENT

QUIZ = """\
---
pass_mark: 50
---

## Which city is the capital of France? {#q-city}

- ( ) Lyon
- (x) Paris
- ( ) Nice
- ( ) Lille

## Is the sky blue on a clear day? {#q-true order=fixed}

- (x) True
- ( ) False
- ( ) Sometimes
- ( ) Never
"""
WRITTEN = ["1", "2", "3", "4"]


@pytest.fixture
def app_config(app_config, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "basics" / "quiz.md").write_text(QUIZ, encoding="utf-8")
    return app_config | {"ACADEMY_CONTENT_DIR": str(content)}


@pytest.fixture
def questions(app):
    quiz = current_catalogue().modules["basics"].quiz
    return [quiz.question("q-city"), quiz.question("q-true")]


@pytest.fixture
def signed_in(client, auth, trainee):
    auth.sign_in(trainee)
    return client


def order(attempt_id: int, question) -> list[str]:
    return [o.id for o in quizzes.options_shown(attempt_id, [question])[question.id]]


def page_order(page: str, question_id: str) -> list[str]:
    return re.findall(rf'name="answer-{question_id}" value="(\d)"', page)


def review_order(page: str, heading: str) -> list[str]:
    """The option texts of one question on the result page, as listed."""
    start = page.index(heading)
    review = page[start : page.index("</ul>", start)]
    return re.findall(r"</span>\s*(\w+)\s*</li>", review)


def test_one_attempt_always_gets_the_same_order(questions):
    city, _ = questions

    assert {tuple(order(7, city)) for _ in range(20)} == {tuple(order(7, city))}
    assert sorted(order(7, city)) == WRITTEN


def test_attempts_get_different_orders(questions):
    city, _ = questions
    # 24 orders; 50 attempts all alike would happen with probability 24**-49
    orders = {tuple(order(attempt_id, city)) for attempt_id in range(1, 51)}

    assert len(orders) >= 2
    assert all(sorted(o) == WRITTEN for o in orders)


def test_the_order_depends_on_the_secret_key(app, questions):
    city, _ = questions
    before = [order(attempt_id, city) for attempt_id in range(1, 21)]
    app.secret_key = "another-secret-key-for-this-test"

    assert [order(attempt_id, city) for attempt_id in range(1, 21)] != before


def test_a_pinned_question_keeps_the_written_order(questions):
    _, pinned = questions

    assert {tuple(order(attempt_id, pinned)) for attempt_id in range(1, 51)} == {tuple(WRITTEN)}


def test_reloading_and_the_result_page_show_the_attempts_order(signed_in, questions):
    city, _ = questions
    first = signed_in.get("/modules/basics/quiz").text
    attempt_id = int(re.search(r'action="/quiz/attempts/(\d+)"', first).group(1))
    again = signed_in.get("/modules/basics/quiz").text

    assert page_order(first, "q-city") == page_order(again, "q-city") == order(attempt_id, city)
    assert page_order(first, "q-true") == WRITTEN

    response = signed_in.post(
        f"/quiz/attempts/{attempt_id}", data=as_form({"q-city": ["2"], "q-true": ["1"]})
    )
    result = signed_in.get(response.location).text

    names = {o.id: re.sub(r"<[^>]+>", "", o.html) for o in city.options}
    assert review_order(result, "capital of France") == [names[i] for i in order(attempt_id, city)]
    assert review_order(result, "Is the sky blue") == ["True", "False", "Sometimes", "Never"]


def test_a_sheet_refused_for_a_missing_answer_keeps_the_order(signed_in, questions):
    city, _ = questions
    page = signed_in.get("/modules/basics/quiz").text
    attempt_id = int(re.search(r'action="/quiz/attempts/(\d+)"', page).group(1))

    response = signed_in.post(f"/quiz/attempts/{attempt_id}", data=as_form({"q-city": ["3"]}))

    assert response.status_code == 400
    assert page_order(response.text, "q-city") == order(attempt_id, city)
