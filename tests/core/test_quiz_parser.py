import textwrap

import pytest

from academy.core.content.quiz import parse_quiz

EXAMPLE = """\
---
pass_mark: 80
draw: 2
---

## A client starts shaking. What do you do *first*? {#q-shaking}

You meet Amina at the centre's café.
She begins to shake.

- ( ) Ask her to go on.
  > Asking for the story can pull her deeper into the memory.
- (x) Help her notice where she is now.
  > Grounding brings attention back
  > to the present.
- ( ) Leave her alone.

Grounding comes first.

Then talk about next steps.

## Which of these are special-category data under the GDPR?

* [X] Health information
- [ ] A first name
- [x] Religious beliefs
"""


def parse(body: str, front: str = "pass_mark: 80\n"):
    return parse_quiz("quiz.md", f"---\n{front}---\n" + textwrap.dedent(body))


def messages(problems):
    return [str(p) for p in problems]


def test_example_quiz_is_parsed():
    quiz, problems = parse_quiz("c/trauma/quiz.md", EXAMPLE)
    assert problems == []
    assert (quiz.path, quiz.pass_mark, quiz.draw) == ("c/trauma/quiz.md", 80, 2)
    first, second = quiz.questions
    assert first.id == "q-shaking"
    assert first.kind == "single"
    assert first.line == 6
    assert first.text == "A client starts shaking. What do you do first?"
    assert first.prompt_html == "A client starts shaking. What do you do <em>first</em>?"
    assert first.body_html == "<p>You meet Amina at the centre's café.\nShe begins to shake.</p>"
    assert [o.id for o in first.options] == ["1", "2", "3"]
    assert [o.html for o in first.options] == [
        "Ask her to go on.",
        "Help her notice where she is now.",
        "Leave her alone.",
    ]
    assert first.correct_ids == {"2"}
    assert first.options[0].feedback_html == (
        "Asking for the story can pull her deeper into the memory."
    )
    assert first.options[1].feedback_html == "Grounding brings attention back to the present."
    assert first.options[2].feedback_html == ""
    assert (
        first.explanation_html
        == "<p>Grounding comes first.</p>\n<p>Then talk about next steps.</p>"
    )
    assert second.id == "q-which-of-these-are-special-category-data-under-the-gdpr"
    assert second.kind == "multiple"
    assert second.correct_ids == {"1", "3"}
    assert second.body_html == second.explanation_html == ""
    assert quiz.question("q-shaking") is first


def test_option_text_may_continue_on_indented_lines():
    quiz, problems = parse(
        """
        ## Q
        - (x) A long option
          that goes on.
          > Feedback that
          goes on too.
        - ( ) B
        """
    )
    assert problems == []
    option = quiz.questions[0].options[0]
    assert (option.html, option.feedback_html) == (
        "A long option that goes on.",
        "Feedback that goes on too.",
    )


def test_derived_ids_keep_letters_and_fall_back_to_position():
    quiz, problems = parse(
        """
        ## Was heißt Schweigepflicht?
        - (x) a
        - ( ) b
        ## ???
        - (x) a
        - ( ) b
        """
    )
    assert problems == []
    assert [q.id for q in quiz.questions] == ["q-was-heißt-schweigepflicht", "q-2"]


def test_code_fence_in_explanation_does_not_start_a_question():
    quiz, problems = parse(
        """
        ## Q
        - (x) a
        - ( ) b

        ```
        ## not a question
        ```
        """
    )
    assert problems == []
    assert len(quiz.questions) == 1
    assert "## not a question" in quiz.questions[0].explanation_html


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("## Q\n- ( ) a\n- ( ) b\n", "quiz.md:4: question has no correct option"),
        (
            "## Q\n- (x) a\n- (x) b\n",
            "quiz.md:4: single-choice question has 2 correct options; "
            "use '- [x]' for multiple choice",
        ),
        (
            "## Q\n- (x) a\n- [ ] b\n",
            "quiz.md:6: question mixes '( )' and '[ ]' options; use one kind",
        ),
        ("## Q\n- (x) a\n", "quiz.md:4: question needs at least two options"),
        (
            "## Q\nJust text.\n",
            "quiz.md:4: question has no options ('- ( )' or '- [ ]' or '1.' list items)",
        ),
        ("## Q\n- (x)\n- ( ) b\n", "quiz.md:5: option has no text"),
        (
            "## Q {#bad! group=a}\n- (x) a\n- ( ) b\n",
            "quiz.md:4: invalid question id 'bad!' (letters, digits, - and _)",
        ),
        ("## {#q-x}\n- (x) a\n- ( ) b\n", "quiz.md:4: question heading has no text"),
        (
            "## Q {#q-a}\n- (x) a\n- ( ) b\n## R {#q-a}\n- (x) a\n- ( ) b\n",
            "quiz.md:7: duplicate question id 'q-a'",
        ),
        (
            "## Same\n- (x) a\n- ( ) b\n## Same\n- (x) a\n- ( ) b\n",
            "quiz.md:7: duplicate question id 'q-same'",
        ),
        ("Intro text\n\n## Q\n- (x) a\n- ( ) b\n", "quiz.md:4: text before the first question"),
        ("\n", "quiz.md:1: the quiz has no questions ('## ' headings)"),
        (
            "## Q\n- (x) a\n- ( ) b\n\nExplanation.\n- ( ) c\n",
            "quiz.md:9: options must come before the explanation",
        ),
    ],
)
def test_question_errors_have_file_and_line(body, expected):
    quiz, problems = parse(body)
    assert quiz is None
    assert messages(problems) == [expected]


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("", ["quiz.md:1: missing required key 'pass_mark'"]),
        ("pass_mark: 0\n", ["quiz.md:2: 'pass_mark' must be a whole number from 1 to 100"]),
        ("pass_mark: 101\n", ["quiz.md:2: 'pass_mark' must be a whole number from 1 to 100"]),
        ("pass_mark: eighty\n", ["quiz.md:2: 'pass_mark' must be a whole number from 1 to 100"]),
        ("pass_mark: true\n", ["quiz.md:2: 'pass_mark' must be a whole number from 1 to 100"]),
        ("pass_mark: 80\ndraw: 3\n", ["quiz.md:3: 'draw' is 3 but the quiz has only 2 questions"]),
        ("pass_mark: 80\ndraw: 0\n", ["quiz.md:3: 'draw' must be a whole number, 1 or more"]),
        ("pass_mark: 80\nshuffle: yes\n", ["quiz.md:3: unknown key 'shuffle'"]),
        (
            "pass_mark: 80\ndraw: a: b\n",
            ["quiz.md:3: invalid YAML: mapping values are not allowed in this context"],
        ),
        ("pass_mark: 80\npass_mark: 90\n", ["quiz.md:3: duplicate key 'pass_mark'"]),
        ("- 80\n", ["quiz.md:2: front matter must be 'key: value' lines"]),
    ],
)
def test_front_matter_errors_have_file_and_line(front, expected):
    body = "## Q\n- (x) a\n- ( ) b\n## R\n- (x) a\n- ( ) b\n"
    quiz, problems = parse(body, front)
    assert quiz is None
    assert messages(problems) == expected


def test_draw_equal_to_question_count_is_fine():
    quiz, problems = parse("## Q\n- (x) a\n- ( ) b\n", "pass_mark: 50\ndraw: 1\n")
    assert problems == []
    assert quiz.draw == 1


def test_quiz_without_front_matter():
    quiz, problems = parse_quiz("quiz.md", "## Q\n- (x) a\n- ( ) b\n")
    assert quiz is None
    assert messages(problems) == ["quiz.md:1: quiz.md must start with front matter (pass_mark)"]


def test_several_errors_are_all_reported():
    quiz, problems = parse("## Q\n- ( ) a\n- ( ) b\n## R\n- (x) a\n", "pass_mark: 80\ndraw: 5\n")
    assert messages(problems) == [
        "quiz.md:5: question has no correct option",
        "quiz.md:8: question needs at least two options",
        "quiz.md:3: 'draw' is 5 but the quiz has only 2 questions",
    ]


def test_hostile_markdown_in_quiz_is_sanitised(assert_safe):
    quiz, problems = parse(
        """
        ## <script>alert(1)</script> [x](javascript:alert(1))
        ![](https://evil.example/x.png)
        - (x) <img src=x onerror=alert(1)>
          > [y](javascript:alert(2))
        - ( ) b
        """
    )
    assert problems == []
    question = quiz.questions[0]
    for html in (question.prompt_html, question.body_html, question.options[0].html):
        assert_safe(html)
    assert_safe(question.options[0].feedback_html)
    assert question.text == "<script>alert(1)</script> x"
