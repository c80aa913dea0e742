"""A question type is one class and one partial: a toy type registered here, and nowhere
else, is parsed from quiz.md, shown on the quiz page, checked, graded and reviewed."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader

from academy.core.content import question_types
from academy.core.content.question_types import QuestionType, register
from academy.core.content.quiz import parse_quiz
from tests import as_form
from tests.conftest import FIXTURE_CONTENT


class AnyOf(QuestionType):
    """One pick; any option marked <x> is right (the author lists several)."""

    name = "any-of"
    box = "< >"
    sheet_template = "toy/any_of.html"

    def check_options(self, line, options):
        if all(o.correct for o in options):
            yield line, "an any-of question needs a wrong option"

    def options_for_sheet(self, question, order_key):
        return question.options[::-1]

    def answer_problem(self, question, answer):
        return super().answer_problem(question, answer) or (
            "takes one pick." if len(answer) > 1 else None
        )

    def grade(self, question, answer):
        return len(answer) == 1 and answer[0] in question.correct_ids


ANY_OF_SHEET = """\
<p class="hint">Pick one that fits.</p>
{% for option in options %}
  <label class="any-of"><input type="radio" name="{{ name }}" value="{{ option.id }}"
    {%- if option.id in chosen %} checked{% endif %}> {{ option.html|safe }}</label>
{% endfor %}
"""

QUIZ = """\
---
pass_mark: 100
---

## Which of these is a fruit? {#q-fruit}

- <x> Apple
- < > Carrot
- <x> Pear

## What colour is the sky on a clear day? {#q-sky}

- (x) Blue
- ( ) Green
"""


@pytest.fixture
def any_of(monkeypatch):
    """The toy type, registered for this test only."""
    monkeypatch.setattr(question_types, "QUESTION_TYPES", dict(question_types.QUESTION_TYPES))
    register(AnyOf)


@pytest.fixture
def app_config(app_config, tmp_path, any_of):
    """The fixture content with the basics quiz asking an any-of question."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "basics" / "quiz.md").write_text(QUIZ, encoding="utf-8")
    return app_config | {"ACADEMY_CONTENT_DIR": str(content)}


@pytest.fixture
def signed_in(app, client, auth, trainee):
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({AnyOf.sheet_template: ANY_OF_SHEET}), app.jinja_env.loader]
    )
    auth.sign_in(trainee)
    return client


def parse(body: str):
    return parse_quiz("quiz.md", "---\npass_mark: 80\n---\n" + textwrap.dedent(body))


def test_a_registered_type_is_parsed_from_its_box(any_of):
    quiz, problems = parse_quiz("quiz.md", QUIZ)

    assert problems == []
    fruit, sky = quiz.questions
    assert (fruit.kind, sky.kind) == ("any-of", "single")
    assert fruit.type is question_types.question_type("any-of")
    assert [o.html for o in fruit.options] == ["Apple", "Carrot", "Pear"]
    assert fruit.correct_ids == {"1", "3"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("## Q\n- <x> a\n- <x> b\n", "quiz.md:4: an any-of question needs a wrong option"),
        ("## Q\n- < > a\n- < > b\n", "quiz.md:4: question has no correct option"),
        (
            "## Q\n- <x> a\n- ( ) b\n",
            "quiz.md:6: question mixes '( )' and '< >' options; use one kind",
        ),
        (
            "## Q\nText.\n",
            "quiz.md:4: question has no options ('- ( )' or '- [ ]' or '1.' or '- < >' list items)",
        ),
    ],
)
def test_a_registered_type_brings_its_rules_with_path_and_line(any_of, body, expected):
    quiz, problems = parse(body)

    assert quiz is None
    assert [str(p) for p in problems] == [expected]


def test_without_the_type_its_box_is_no_option():
    quiz, problems = parse_quiz("quiz.md", QUIZ)

    assert quiz is None
    assert "quiz.md:5: question has no options ('- ( )' or '- [ ]' or '1.' list items)" in [
        str(p) for p in problems
    ]


def test_a_registered_type_is_shown_through_its_partial(signed_in):
    page = signed_in.get("/modules/basics/quiz").text

    assert "Pick one that fits." in page
    fruit = re.findall(
        r'<label class="any-of"><input type="radio" name="answer-q-fruit" value="(\d)"', page
    )
    assert fruit == ["3", "2", "1"]  # the type's display order
    assert page.count('type="radio" name="answer-q-sky"') == 2  # the built-in type beside it
    assert "Choose one answer." in page


def sheet(client) -> int:
    page = client.get("/modules/basics/quiz").text
    return int(re.search(r'action="/quiz/attempts/(\d+)"', page).group(1))


@pytest.mark.parametrize(("pick", "score"), [("3", 100), ("1", 100), ("2", 50)])
def test_a_registered_type_is_graded_and_reviewed_by_its_class(signed_in, pick, score):
    attempt_id = sheet(signed_in)

    response = signed_in.post(
        f"/quiz/attempts/{attempt_id}", data=as_form({"q-fruit": [pick], "q-sky": ["1"]})
    )
    result = signed_in.get(response.location).text

    assert f"Your result: {score} %" in result
    fruit_review = result[result.index("Which of these is a fruit?") : result.index("What colour")]
    assert ("Your answer — right" in fruit_review) is (score == 100)
    # passed: the other right option is shown too; failed: no right option is (the key)
    assert fruit_review.count("Right answer") == (1 if score == 100 else 0)


def test_a_registered_type_checks_the_answer_sent(signed_in):
    attempt_id = sheet(signed_in)

    response = signed_in.post(
        f"/quiz/attempts/{attempt_id}", data=as_form({"q-fruit": ["1", "3"], "q-sky": ["1"]})
    )

    assert response.status_code == 400
    assert "Question 1 takes one pick." in response.text
    assert 'value="1" checked' in response.text  # what was sent is shown again


@pytest.mark.parametrize(("name", "box"), [("any-of", "{ }"), ("other", "< >")])
def test_a_name_or_box_is_registered_once(any_of, name, box):
    clash = type("Clash", (AnyOf,), {"name": name, "box": box})

    with pytest.raises(ValueError, match="is taken"):
        register(clash)


def test_no_question_type_is_named_outside_the_registry():
    root = Path(question_types.__file__).parents[3]
    files = [*(root / "academy").rglob("*.py"), *(root / "templates").rglob("*.html")]
    names = "|".join(re.escape(name) for name in question_types.QUESTION_TYPES)
    literal = re.compile(rf"""["']({names})["']""")
    named = [
        f"{file.relative_to(root)}: {line.strip()}"
        for file in files
        if file.name != "question_types.py"
        for line in file.read_text(encoding="utf-8").splitlines()
        if literal.search(line)
    ]
    assert named == []
