"""A question heading's attribute list: {#id group=… reread=… order=fixed}."""

import pytest
from content_builders import QUIZ_MD

from academy.core.content import load_catalogue
from academy.core.content.quiz import parse_quiz

KNOWN = "(use #id, group=, reread=, order=)"
FRONT = "---\npass_mark: 80\n---\n\n"


def parse(body: str):
    return parse_quiz("quiz.md", FRONT + body)


def test_attributes_fill_the_question():
    quiz, problems = parse(
        "## Hand over? {#q-hand group=crisis reread=crisis-rule order=fixed}\n"
        "- (x) True\n- ( ) False\n\n## Plain\n- (x) a\n- ( ) b\n"
    )
    assert problems == []
    handover, plain = quiz.questions
    assert (handover.id, handover.text) == ("q-hand", "Hand over?")
    assert (handover.group, handover.reread, handover.fixed_order) == (
        "crisis",
        "crisis-rule",
        True,
    )
    assert (plain.group, plain.reread, plain.fixed_order) == (None, None, False)


def test_attributes_may_come_in_any_order_and_without_an_id():
    quiz, problems = parse("## Q {order=fixed group=g1}\n- (x) a\n- ( ) b\n")
    assert problems == []
    assert quiz.questions[0].id == "q-q"
    assert (quiz.questions[0].group, quiz.questions[0].fixed_order) == ("g1", True)


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ("#q-a colour=red", f"unknown question attribute 'colour=red' {KNOWN}"),
        ("#q-a pinned", f"unknown question attribute 'pinned' {KNOWN}"),
        ("group=", "'group=' needs a name of letters, digits, - and _"),
        ("reread=../x", "'reread=' needs a name of letters, digits, - and _"),
        ("order=random", "'order=' takes only 'fixed' (options shown as written)"),
        ("#bad!", "invalid question id 'bad!' (letters, digits, - and _)"),
    ],
)  # fmt: skip
def test_bad_attributes_are_errors_at_the_heading_line(attributes, expected):
    quiz, problems = parse(f"## Q {{{attributes}}}\n- (x) a\n- ( ) b\n")
    assert quiz is None
    assert [str(p) for p in problems] == [f"quiz.md:5: {expected}"]


def test_reread_must_name_a_lesson_of_the_module(content_dir, write_module):
    quiz = QUIZ_MD.replace("{#q-first}", "{#q-first reread=what-trauma-was}")
    write_module("trauma", {"quiz.md": quiz})
    catalogue = load_catalogue(content_dir)
    assert [str(p) for p in catalogue.errors] == [
        f"{content_dir}/trauma/quiz.md:6: 'reread=what-trauma-was' is not a lesson of this "
        "module (what-trauma-is)"
    ]
    assert "trauma" not in catalogue.modules


def test_a_reread_that_names_a_lesson_loads(content_dir, write_module):
    quiz = QUIZ_MD.replace("{#q-first}", "{#q-first reread=what-trauma-is}")
    write_module("trauma", {"quiz.md": quiz})
    module = load_catalogue(content_dir).modules["trauma"]
    assert module.quiz.questions[0].reread == "what-trauma-is"


def test_a_draw_smaller_than_the_number_of_groups_is_an_error_at_the_draw_line():
    questions = "".join(f"## Q{n} {{group=g{n}}}\n- (x) a\n- ( ) b\n" for n in range(3))
    quiz, problems = parse_quiz("quiz.md", "---\npass_mark: 80\ndraw: 2\n---\n" + questions)
    assert quiz is None
    assert [str(p) for p in problems] == [
        "quiz.md:3: 'draw' is 2 but the quiz has 3 groups; every attempt asks a question "
        "of each group, so draw at least one per group"
    ]


def test_a_draw_of_one_per_group_is_enough():
    questions = "".join(f"## Q{n} {{group=g{n % 2}}}\n- (x) a\n- ( ) b\n" for n in range(4))
    quiz, problems = parse_quiz("quiz.md", "---\npass_mark: 80\ndraw: 2\n---\n" + questions)
    assert problems == []
    assert quiz.draw == 2
