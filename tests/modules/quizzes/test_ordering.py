"""The ordering question type: steps written in order in quiz.md, shown shuffled, one
<select> per place on the sheet (no JavaScript), graded all or nothing."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from flask import render_template

from academy.core.catalogue import current_catalogue
from academy.core.content.quiz import parse_quiz
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.kept_answers import well_formed_answers
from tests import as_form, right_answers, wrong_answers
from tests.conftest import FIXTURE_CONTENT

QUIZ = """\
---
pass_mark: 100
---

## Put the steps of a hand-over in order. {#q-steps}

Danger now.

1. Call 112.
   > First, always.
2. Stay if it is *safe*.
3. Tell your coordinator.
4. Talk it through in supervision.
   > Afterwards.

The crisis rule.

## What colour is the sky on a clear day? {#q-sky}

- (x) Blue
- ( ) Green
"""
RIGHT = {"q-steps": ["1", "2", "3", "4"], "q-sky": ["1"]}
PLACES = ["First step", "Second step", "Third step", "Fourth step"]


def parse(body: str):
    return parse_quiz("quiz.md", "---\npass_mark: 80\n---\n" + textwrap.dedent(body))


@pytest.fixture
def app_config(app_config, tmp_path, request):
    """The fixture content with the basics quiz asking for steps in order; a test marked
    ``review_always`` gets the quiz with the right answers shown after every attempt."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    quiz = QUIZ
    if request.node.get_closest_marker("review_always"):
        quiz = QUIZ.replace("pass_mark: 100", "pass_mark: 100\nreview: always")
    (content / "basics" / "quiz.md").write_text(quiz, encoding="utf-8")
    return app_config | {"ACADEMY_CONTENT_DIR": str(content)}


@pytest.fixture
def signed_in(client, auth, trainee):
    auth.sign_in(trainee)
    return client


@pytest.fixture
def steps(app):
    return current_catalogue().modules["basics"].quiz.question("q-steps")


def open_sheet(client) -> tuple[str, int]:
    page = client.get("/modules/basics/quiz").text
    return page, int(re.search(r'action="/quiz/attempts/(\d+)"', page).group(1))


def selects(page: str) -> list[tuple[str, str, list[str], str]]:
    """Each place's select: (label, field id, option values, the selected value)."""
    found = []
    for field_id, body in re.findall(
        r'<select name="answer-q-steps" id="([^"]+)">(.*?)</select>', page, re.S
    ):
        label = re.search(rf'<label for="{field_id}">([^<]+)</label>', page).group(1)
        values = re.findall(r'<option value="([^"]*)"', body)
        selected = re.findall(r'<option value="([^"]*)" selected>', body)
        found.append((label, field_id, values, selected[0] if selected else ""))
    return found


def test_steps_are_parsed_in_the_order_written():
    quiz, problems = parse_quiz("quiz.md", QUIZ)

    assert problems == []
    steps = quiz.question("q-steps")
    assert steps.type.name == "ordering"
    assert [o.text for o in steps.options] == [
        "Call 112.",
        "Stay if it is safe.",
        "Tell your coordinator.",
        "Talk it through in supervision.",
    ]
    assert steps.options[1].html == "Stay if it is <em>safe</em>."
    assert [o.feedback_html for o in steps.options] == ["First, always.", "", "", "Afterwards."]
    assert steps.type.right_answer(steps) == ["1", "2", "3", "4"]
    assert "The crisis rule." in steps.explanation_html


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("## Q\n1. a\n2. b\n", ["quiz.md:4: an ordering question needs at least 3 steps"]),
        (
            "## Q\n" + "".join(f"{n}. step\n" for n in range(1, 12)),
            ["quiz.md:4: an ordering question takes at most 10 steps"],
        ),
        (
            "## Q\n1. a\n3. b\n2. c\n",
            [
                "quiz.md:6: step numbered 3 is step 2 of the list: number the steps "
                "1, 2, 3 … in the right order",
                "quiz.md:7: step numbered 2 is step 3 of the list: number the steps "
                "1, 2, 3 … in the right order",
            ],
        ),
        (
            "## Q\n1. (x) a\n2. b\n3. [ ] c\n",
            [
                "quiz.md:5: a step takes no '( )' mark: the order of the steps is the answer",
                "quiz.md:7: a step takes no '[ ]' mark: the order of the steps is the answer",
            ],
        ),
        (
            "## Q {order=fixed}\n1. a\n2. b\n3. c\n",
            [
                "quiz.md:4: 'order=fixed' does not fit an ordering question: its steps are "
                "always shuffled, or the page would show the answer"
            ],
        ),
        (
            "## Q\n1. a\n2. b\n- (x) c\n",
            ["quiz.md:7: question mixes '( )' and '1.' options; use one kind"],
        ),
    ],
    ids=["two-steps", "eleven-steps", "misnumbered", "marked", "order-fixed", "mixed"],
)
def test_bad_steps_are_errors_with_file_and_line(body, expected):
    quiz, problems = parse(body)

    assert quiz is None
    assert [str(p) for p in problems] == expected


def test_steps_may_also_be_written_with_a_parenthesis_and_two_digits():
    quiz, problems = parse("## Q\n" + "".join(f"{n}) step {n}\n" for n in range(1, 11)))

    assert problems == []
    assert [o.text for o in quiz.questions[0].options][-1] == "step 10"


def test_the_sheet_shows_the_steps_shuffled_with_a_labelled_select_per_place(signed_in, steps):
    page, attempt_id = open_sheet(signed_in)

    shown = [o.id for o in quizzes.options_shown(attempt_id, [steps])["q-steps"]]
    assert shown != ["1", "2", "3", "4"]  # never the answer itself
    letters = re.findall(r'<span class="letter">([A-D])</span> (.+?)</li>', page)
    assert letters == [
        (letter, steps.option(i).html) for letter, i in zip("ABCD", shown, strict=True)
    ]
    places = selects(page)
    assert [label for label, _, _, _ in places] == PLACES
    assert all(values == ["", *shown] for _, _, values, _ in places)
    assert len({field_id for _, field_id, _, _ in places}) == 4
    assert f">A: {steps.option(shown[0]).text}</option>" in page


def test_steps_in_the_right_order_pass_without_javascript(signed_in, trainee):
    _, attempt_id = open_sheet(signed_in)

    response = signed_in.post(f"/quiz/attempts/{attempt_id}", data=as_form(RIGHT))
    result = signed_in.get(response.location).text

    assert "Your result: 100 %" in result
    assert "In the right place" in result and "Not in the right place" not in result
    assert quizzes.get_own_attempt(trainee.id, attempt_id).answers == RIGHT


def submit_swapped(client) -> str:
    _, attempt_id = open_sheet(client)
    response = client.post(
        f"/quiz/attempts/{attempt_id}", data=as_form(RIGHT | {"q-steps": ["1", "3", "2", "4"]})
    )
    return client.get(response.location).text


def test_two_steps_swapped_are_wrong_and_the_closed_review_shows_only_the_order(signed_in):
    result = submit_swapped(signed_in)

    assert "Your result: 50 %" in result
    review = result[result.index("hand-over in order") : result.index("What colour")]
    assert re.findall(r"(\d)\.\s*</span>", review) == ["1", "2", "3", "4"]
    assert "right place" not in review  # which steps are placed right is part of the key
    assert "The right order" not in review and "correct" not in review


@pytest.mark.review_always
def test_with_the_key_open_the_review_marks_each_place(signed_in):
    review = submit_swapped(signed_in)
    review = review[review.index("hand-over in order") : review.index("What colour")]
    assert re.findall(r"(\d)\. (In the right place|Not in the right place)", review) == [
        ("1", "In the right place"),
        ("2", "Not in the right place"),
        ("3", "Not in the right place"),
        ("4", "In the right place"),
    ]
    assert "The right order" in review and "Afterwards." in review


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        (["1", "", "3", "2"], "has no step in place 2: choose a step for every place."),
        (["", "", "3", "2"], "has no step in places 1, 2: choose a step for every place."),
        (["1", "1", "3", "2"], "has a step in more than one place: choose each step once."),
        (["1", "2", "3"], "received steps it does not have. Please reload."),
        (["1", "2", "3", "9"], "received steps it does not have. Please reload."),
    ],
    ids=["one-place-empty", "two-places-empty", "a-step-twice", "a-place-missing", "unknown-step"],
)  # fmt: skip
def test_an_incomplete_order_is_refused_with_what_was_chosen_kept(
    signed_in, trainee, sent, message
):
    _, attempt_id = open_sheet(signed_in)

    response = signed_in.post(
        f"/quiz/attempts/{attempt_id}", data=as_form(RIGHT | {"q-steps": sent})
    )

    assert response.status_code == 400
    assert f"Question 1 {message}" in response.text
    kept = [selected for _, _, _, selected in selects(response.text)]
    assert kept == [step if step in "1234" else "" for step in (sent + ["", "", "", ""])[:4]]
    assert re.search(r'name="answer-q-sky" value="1"[^>]* checked', response.text)
    assert not quizzes.get_own_attempt(trainee.id, attempt_id).submitted


def test_no_step_chosen_at_all_is_an_unanswered_question(signed_in):
    _, attempt_id = open_sheet(signed_in)

    response = signed_in.post(
        f"/quiz/attempts/{attempt_id}", data=as_form(RIGHT | {"q-steps": ["", "", "", ""]})
    )

    assert response.status_code == 400
    assert "Please answer question 1. Your other answers are kept." in response.text


def test_the_review_without_the_key_shows_the_trainees_order_only(app, steps):
    chosen = ["2", "1", "3", "4"]
    with app.test_request_context():
        hidden = render_template(
            steps.type.review_template, question=steps, chosen=chosen, show_key=False
        )
        shown = render_template(
            steps.type.review_template, question=steps, chosen=chosen, show_key=True
        )

    assert [steps.option(step).html for step in chosen] == re.findall(
        r"\d\.</span>\s*(.+?)\s*</li>", hidden
    )
    for secret in (
        "The right order",
        "In the right place",
        "Not in the right place",
        "First, always.",
    ):
        assert secret not in hidden
        assert secret in shown


def test_right_and_wrong_answers_from_the_test_helpers_grade_as_such(app, steps):
    assert right_answers("basics", ["q-steps"]) == {"q-steps": ["1", "2", "3", "4"]}
    wrong = wrong_answers("basics", ["q-steps"])["q-steps"]
    assert wrong == ["4", "3", "2", "1"]
    assert steps.type.answer_problem(steps, wrong) is None
    assert not steps.type.grade(steps, wrong)


@pytest.mark.parametrize(
    ("answer", "counted"),
    [
        (["1", "2", "3", "4"], {"1", "2", "3", "4"}),
        (["1", "3", "2", "4"], {"1", "4"}),
        (["4", "3", "2", "1"], set()),
    ],
)
def test_counted_options_are_the_steps_in_their_right_place(steps, answer, counted):
    assert steps.type.counted_options(steps, answer) == counted


def test_answers_kept_over_a_sign_in_are_complete_orders_only(steps):
    quiz = current_catalogue().modules["basics"].quiz
    kept = well_formed_answers(
        quiz, ["q-steps", "q-sky"], {"q-steps": ["2", "1", "3", "4"], "q-sky": ["1"]}
    )
    partial = well_formed_answers(quiz, ["q-steps"], {"q-steps": ["2", "", "3", "4"]})

    assert kept == {"q-steps": ["2", "1", "3", "4"], "q-sky": ["1"]}
    assert partial == {}


def test_the_example_in_the_authors_guide_is_an_ordering_question():
    guide = (Path(__file__).parents[3] / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = guide[guide.index("### Ordering questions") :]
    example = section[section.index("```markdown\n") + 12 : section.index("\n```\n")]

    quiz, problems = parse_quiz("quiz.md", "---\npass_mark: 80\n---\n\n" + example + "\n")

    assert problems == []
    (question,) = quiz.questions
    assert (question.id, len(question.options)) == ("q-danger-now-order", 4)
    assert question.type.right_answer(question) == ["1", "2", "3", "4"]
