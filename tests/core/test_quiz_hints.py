"""content check's warnings about how a quiz is built: the pool and the wording cues."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from content_builders import QUIZ_MD

from academy.core.content.loader import check_content, load_module
from academy.core.content.model import Option, Question, Quiz
from academy.core.content.quiz import parse_quiz
from academy.core.content.quiz_hints import binomial_tail, check

EQUAL = ["Option A", "Option B", "Option C", "Option D"]  # 8 characters each
_numbers = itertools.count(1)


def choice(right: int, texts: list[str] = EQUAL, heading: str = "") -> str:
    """A single-choice question whose option ``right`` (from 1) is the right one."""
    heading = heading or f"Question {next(_numbers)}"
    options = "".join(
        f"- ({'x' if number == right else ' '}) {text}\n"
        for number, text in enumerate(texts, start=1)
    )
    return f"## {heading}\n\n{options}\n"


def quiz(questions: list[str], draw: int | None = None) -> str:
    """A quiz of ``questions``; its draw is half the pool unless given."""
    draw = len(questions) // 2 if draw is None else draw
    return f"---\npass_mark: 80\ndraw: {draw}\n---\n\n" + "".join(questions)


def warnings(text: str) -> list[str]:
    loaded, problems = parse_quiz("quiz.md", text, hints=True)
    assert loaded is not None, problems
    return [str(p) for p in problems if p.severity == "warning"]


def rotating(count: int) -> list[int]:
    """Right options spread evenly over the four positions."""
    return [1 + n % 4 for n in range(count)]


def test_a_balanced_quiz_gets_no_warning():
    assert warnings(quiz([choice(right) for right in rotating(12)])) == []


def test_the_right_option_longest_in_more_than_a_third_is_a_warning():
    longer = ["Option AA", "Option BB", "Option CC", "Option DD"]  # 9: longest, not 1.5 times
    questions = [
        choice(right, [longer[i] if i == right - 1 else t for i, t in enumerate(EQUAL)])
        if n < 5
        else choice(right)
        for n, right in enumerate(rotating(12))
    ]

    assert warnings(quiz(questions)) == [
        "quiz.md:1: warning: the right option is the longest in 5 of 12 single-choice questions "
        "(more than a third); write distractors as long as the right option"
    ]
    assert warnings(quiz(questions[1:] + [choice(1)])) == []  # 4 of 12: a third is fine


def test_a_tie_for_the_longest_does_not_count():
    assert warnings(quiz([choice(1, ["Same", "Same", "Four"]), choice(2)])) == []


def test_the_right_option_in_one_position_beyond_chance_is_a_warning():
    positions = [1] * 8 + [2, 3, 4, 2]

    assert warnings(quiz([choice(right) for right in positions])) == [
        "quiz.md:1: warning: the right option is written in position 1 in 8 of 12 "
        "single-choice questions; chance alone does that with a probability of 0.3 % "
        "(tested at 5.0 % for 4 positions); vary where you write it"
    ]


def test_the_position_test_allows_for_testing_every_position():
    # 7 of 12 in one place: 1.4 % by chance, under 5 % but over 5 % / 4 positions
    positions = [1] * 7 + [2, 3, 4, 2, 3]

    assert warnings(quiz([choice(right) for right in positions])) == []


def test_the_position_test_counts_only_questions_with_that_many_options():
    three = [choice(1 + n % 3, EQUAL[:3]) for n in range(9)]
    four = [choice(4) for _ in range(4)]

    assert warnings(quiz(three + four)) == [
        "quiz.md:1: warning: the right option is written in position 4 in 4 of 4 "
        "single-choice questions; chance alone does that with a probability of 0.4 % "
        "(tested at 5.0 % for 4 positions); vary where you write it"
    ]


def test_a_right_option_much_longer_than_its_distractors_is_named_at_its_line():
    questions = [choice(right) for right in rotating(12)]  # each question is 7 lines long
    questions[3] = choice(4, [*EQUAL[:3], "A far longer option"])  # 19 characters > 1.5 * 8
    questions[5] = choice(2, ["Option A", "Option *Bb* 12", *EQUAL[2:]])  # 12: not more

    assert warnings(quiz(questions)) == [
        "quiz.md:27: warning: the right option has 19 characters, more than 1.5 times the "
        "longest distractor (8); its length gives it away"
    ]


def test_only_single_choice_questions_are_read_for_cues():
    multiple = "## M\n\n- [x] The right and long option\n- [ ] No\n\n"
    steps = "## S\n\n1. A long first step to take\n2. Then\n3. End\n\n"

    assert warnings(quiz([multiple, steps, choice(1), choice(2)])) == []


def test_a_pool_under_twice_the_draw_is_a_warning_at_the_draw_line():
    assert warnings(quiz([choice(right) for right in rotating(5)], draw=3)) == [
        "quiz.md:3: warning: the pool has 5 questions for a draw of 3; write at least 6, "
        "so that retakes differ"
    ]


def test_a_quiz_without_draw_asks_everything_every_time():
    text = "---\npass_mark: 80\n---\n\n" + "".join(choice(r) for r in rotating(4))

    assert warnings(text) == [
        "quiz.md:1: warning: every attempt asks all 4 questions; set 'draw' and write at "
        "least 2 times as many questions, so that retakes differ"
    ]


def test_a_group_of_one_question_is_asked_every_time():
    questions = [choice(right) for right in rotating(8)]
    questions[2] = "## Alone {group=solo}\n\n- ( ) Option A\n- ( ) Option B\n- (x) Option C\n\n"
    questions[4] = "## Pair {group=pair}\n\n- (x) Option A\n- ( ) Option B\n\n"
    questions[6] = "## Pair too {group=pair}\n\n- ( ) Option A\n- (x) Option B\n\n"

    assert warnings(quiz(questions, draw=4)) == [
        "quiz.md:20: warning: group 'solo' has only one question, so every attempt asks it; "
        "write at least 2 for it"
    ]


@pytest.mark.parametrize(
    ("trials", "successes", "chance", "expected"),
    [
        (6, 6, 1 / 3, 1 / 729),
        (12, 0, 0.25, 1.0),
        (3, 2, 0.5, 0.5),
        (12, 8, 0.25, sum(math.comb(12, k) * 3 ** (12 - k) for k in range(8, 13)) / 4**12),
    ],
)
def test_binomial_tail(trials, successes, chance, expected):
    assert binomial_tail(trials, successes, chance) == pytest.approx(expected)


def test_content_check_reports_the_warnings_and_the_app_does_not_load_them(
    content_dir, write_module
):
    folder = write_module("trauma", {"quiz.md": QUIZ_MD.replace("draw: 1\n", "")})
    warning = (
        f"{folder}/quiz.md:1: warning: every attempt asks all 2 questions; set 'draw' and "
        "write at least 2 times as many questions, so that retakes differ"
    )

    assert [str(p) for p in check_content(content_dir)] == [warning]
    assert load_module(folder, hints=False).problems == []


def test_right_options_placed_at_random_warn_at_most_once_in_twenty():
    """The position test's promise, checked on 1000 quizzes written by a fair author."""
    author = random.Random(20)  # noqa: S311 - a reproducible simulation
    warned = 0
    for _ in range(1000):
        questions = [
            Question(
                id=f"q-{n}",
                kind="single",
                text="Q",
                prompt_html="Q",
                body_html="",
                options=tuple(
                    Option(id=str(i), html=EQUAL[i - 1], correct=i == right) for i in range(1, 5)
                ),
                explanation_html="",
                line=n,
            )
            for n, right in enumerate(author.choices(range(1, 5), k=12), start=1)
        ]
        problems = check(Quiz(path="quiz.md", pass_mark=80, draw=6, questions=tuple(questions)), 3)
        warned += any("written in position" in p.message for p in problems)

    assert warned < 50
