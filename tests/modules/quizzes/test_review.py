"""The result page's review: after a failed attempt, which questions were right, the
feedback the verdict already implies and what to reread, and nothing that shows a right
option; the full review once the quiz is passed (the quiz's ``review:`` setting)."""

from __future__ import annotations

import re
import shutil

import pytest

from academy.core.catalogue import current_catalogue
from academy.core.content import load_catalogue
from tests import as_form
from tests.conftest import FIXTURE_CONTENT

ALL_RIGHT = {"q-sky": ["1"], "q-fruit": ["1", "3"], "q-cat": ["2"]}
# q-sky wrong (one wrong radio), q-fruit wrong (a right and a wrong box), q-cat right
FAILED = {"q-sky": ["2"], "q-fruit": ["1", "2"], "q-cat": ["2"]}
# What shows a right option of a question answered wrong: the right option's feedback,
# the explanations (which may state the answer), and any marker of a right option.
KEY_TEXTS = ["Right.", "The sky looks blue because of scattering.", "Apples and pears are fruits."]
KEY_MARKERS = ["Right answer", "correct", "— right", "data-", "<!--"]


def send(client, answers: dict[str, list[str]]) -> str:
    """Open the basics quiz, send the answers, return the result page."""
    page = client.get("/modules/basics/quiz").text
    attempt_id = int(re.search(r'action="/quiz/attempts/(\d+)"', page).group(1))
    response = client.post(f"/quiz/attempts/{attempt_id}", data=as_form(answers))
    assert response.location == f"/quiz/attempts/{attempt_id}"
    return response.location


def review_of(page: str, prompt: str) -> str:
    """One question's part of the result page."""
    start = page.index(prompt)
    end = page.find('<li class="question', start)
    return page[start : end if end != -1 else page.index("</ol>", start)]


def option_items(review: str) -> dict[str, str]:
    """Each option's <li> (its markup without the text) by the option's text."""
    items = re.findall(
        r'(<li class="[^"]*">\s*<span class="marks">[^<]*</span>)\s*([^<]+?)\s*(?:<div|</li>)',
        review,
    )
    return {text: tag for tag, text in items}


@pytest.fixture
def signed_in(client, auth, trainee):
    auth.sign_in(trainee)
    return client


def test_the_quiz_page_says_what_the_result_page_will_show(signed_in):
    page = signed_in.get("/modules/basics/quiz").text

    assert (
        "After you send the quiz you see which questions you answered right; "
        "the right answers are shown once you have passed."
    ) in page


def test_a_failed_attempt_shows_verdicts_and_what_to_reread_but_no_right_option(signed_in):
    page = signed_in.get(send(signed_in, FAILED)).text

    assert "Your result: 33 %" in page
    assert "The right answers are shown once you have passed." in page
    for text in KEY_TEXTS:
        assert text not in page
    sky, fruit = review_of(page, "What colour is the sky"), review_of(page, "Which are fruits?")
    for review in (sky, fruit):
        assert '<p class="verdict">Not right</p>' in review
        for marker in KEY_MARKERS:
            assert marker not in review
    # a wrong single choice: the verdict already says the chosen option is wrong
    assert "Your answer — not right" in sky
    assert "Grass is green, not the sky." in sky
    assert 'To reread: <a href="/modules/basics/lessons/first-steps">First steps</a>' in sky
    # a wrong multiple choice: neither ticked box is told apart (Apple is right, Carrot not)
    options = option_items(fruit)
    assert options["Apple"] == options["Carrot"]
    assert options["Apple"].count("Your answer") == 1
    assert "A carrot is a root." not in fruit
    assert 'To reread: <a href="/modules/basics/lessons/next-steps">Next steps</a>' in fruit
    # a right option not chosen looks exactly like a wrong one not chosen
    assert option_items(sky)["Blue"] == option_items(fruit)["Pear"]


def test_a_question_answered_right_shows_its_answer_and_explanation(signed_in):
    page = signed_in.get(send(signed_in, FAILED)).text

    cat = review_of(page, "How many legs has a cat?")
    assert '<p class="verdict">Right</p>' in cat
    assert "Your answer — right" in cat
    assert "Cats have four legs." in cat
    assert "To reread" not in cat


def test_a_wrong_question_without_a_lesson_to_reread_points_to_the_module(signed_in):
    page = signed_in.get(send(signed_in, ALL_RIGHT | {"q-cat": ["1"], "q-sky": ["2"]})).text

    cat = review_of(page, "How many legs has a cat?")
    assert "Cats have four legs." not in cat
    assert 'To reread: <a href="/modules/basics">the lessons of this module</a>' in cat


def test_passing_opens_the_full_review_also_for_the_earlier_failed_attempts(signed_in):
    failed = send(signed_in, FAILED)
    passed_page = signed_in.get(send(signed_in, ALL_RIGHT)).text
    failed_page = signed_in.get(failed).text

    assert "Passed." in passed_page
    assert "Not passed yet." in failed_page
    for text in KEY_TEXTS:
        assert text in failed_page
    assert "Read the explanations below" in failed_page
    sky, fruit = review_of(failed_page, "What colour is the sky"), review_of(failed_page, "fruits")
    assert "Right answer" in sky and "Right." in sky
    assert "Your answer — right" in fruit and "Your answer — not right" in fruit
    assert "A carrot is a root." in fruit
    assert 'class="correct">' in fruit  # Pear, right and not chosen


@pytest.fixture
def app_config(app_config, request, tmp_path):
    """For a test parametrised with ``review``: the basics quiz with that setting."""
    review = getattr(request.node, "callspec", None) and request.node.callspec.params.get("review")
    if not review:
        return app_config
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    quiz = content / "basics" / "quiz.md"
    quiz.write_text(quiz.read_text().replace("pass_mark: 60", f"pass_mark: 60\nreview: {review}"))
    return app_config | {"ACADEMY_CONTENT_DIR": str(content)}


@pytest.mark.parametrize("review", ["always"])
def test_review_always_shows_the_right_answers_after_every_attempt(signed_in, review):
    page = signed_in.get(send(signed_in, FAILED)).text

    assert current_catalogue().modules["basics"].quiz.review == "always"
    assert "Right answer" in page
    for text in KEY_TEXTS:
        assert text in page
    assert (
        "After you send the quiz you see the right answers"
        in signed_in.get("/modules/basics/quiz").text
    )


@pytest.mark.parametrize("review", ["never"])
def test_review_never_keeps_the_key_even_after_passing(signed_in, review):
    failed = send(signed_in, FAILED)
    passed_page = signed_in.get(send(signed_in, ALL_RIGHT)).text
    failed_page = signed_in.get(failed).text

    assert "Passed." in passed_page
    assert "The right answers are shown once" not in failed_page
    for text in KEY_TEXTS[1:]:  # explanations of the questions answered wrong
        assert text not in failed_page
    assert "Right answer" not in failed_page
    assert "Grass is green, not the sky." in failed_page


def test_a_pass_of_an_earlier_version_opens_no_key_of_the_current_one(app, signed_in, trainee):
    from dataclasses import replace

    from academy.modules.quizzes import services

    failed = send(signed_in, FAILED)
    send(signed_in, ALL_RIGHT)
    module = current_catalogue().modules["basics"]
    attempt = services.get_own_attempt(trainee.id, int(failed.rsplit("/", 1)[1]))

    assert services.key_shown(trainee.id, module, attempt)
    assert not services.key_shown(trainee.id, replace(module, version="2.0"), attempt)


@pytest.mark.parametrize(
    ("question_id", "answer", "show_key", "revealed"),
    [
        ("q-sky", ["2"], False, {"2"}),  # single, wrong: the verdict says the pick is wrong
        ("q-sky", ["1"], False, {"1"}),
        ("q-sky", ["2"], True, {"1", "2"}),
        ("q-fruit", ["1", "2"], False, set()),  # multiple, wrong: no ticked box told apart
        ("q-fruit", ["1"], False, set()),
        ("q-fruit", ["1", "3"], False, {"1", "3"}),
        ("q-fruit", ["1", "2"], True, {"1", "2", "3"}),
    ],
)
def test_what_the_review_may_reveal_of_each_option(question_id, answer, show_key, revealed):
    question = load_catalogue(FIXTURE_CONTENT).modules["basics"].quiz.question(question_id)

    assert question.type.revealed_options(question, answer, show_key) == revealed
