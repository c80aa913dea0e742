"""A quiz translation changes words only: the content check fails one whose questions,
options or right answers differ from the source's (quiz_translations.py)."""

from __future__ import annotations

import pytest
from translation_builders import QUIZ_DE, write_translation

from academy.core.content.loader import check_content, load_module

# File lines of quiz.de.md: four lines of front matter, then QUIZ_DE.
FIRST_QUESTION = 6
FIRST_OPTION = 8
SECOND_QUESTION = 12
SECOND_QUESTION_FIRST_OPTION = 14


def check(write_module, quiz_de: str) -> list[str]:
    folder = write_module()
    write_translation(folder, "quiz.de.md", quiz_de)
    return [str(p).removeprefix(f"{folder}/") for p in check_content(folder)]


def test_a_faithful_translation_has_the_source_s_ids_options_and_answers(write_module):
    folder = write_module()
    write_translation(folder, "quiz.de.md", QUIZ_DE)

    result = load_module(folder)
    source, german = result.module.quiz, result.module.in_language("de").quiz

    assert [str(p) for p in result.problems] == []
    for english, translated in zip(source.questions, german.questions, strict=True):
        assert translated.id == english.id
        assert translated.kind == english.kind
        assert [(o.id, o.correct) for o in translated.options] == [
            (o.id, o.correct) for o in english.options
        ]
    assert german.question("q-first").options[0].feedback_html == "Das kann sie überfordern."
    assert (german.pass_mark, german.draw) == (source.pass_mark, source.draw)


def test_the_lines_named_here_are_the_translation_s():
    lines = (QUIZ_DE).split("\n")
    offset = 4  # the front matter: "---", source_sha256, reviewed, "---"
    assert lines[FIRST_QUESTION - offset - 1].startswith("## Was tun Sie zuerst?")
    assert lines[FIRST_OPTION - offset - 1].startswith("- ( )")
    assert lines[SECOND_QUESTION - offset - 1].startswith("## Was hilft ihr")
    assert lines[SECOND_QUESTION_FIRST_OPTION - offset - 1] == "- [x] Eine ruhige Stimme"


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        pytest.param(
            QUIZ_DE.replace("- [ ] Viele Fragen\n", ""),
            f"quiz.de.md:{SECOND_QUESTION}: question 'q-safe' has 1 options here but 2 in the "
            "source: translate each option, in the same order",
            id="missing option",
        ),
        pytest.param(
            QUIZ_DE.replace("- ( ) Sie bitten", "- (x) Sie bitten").replace(
                "- (x) Sie helfen", "- ( ) Sie helfen"
            ),
            f"quiz.de.md:{FIRST_OPTION}: option 1 of question 'q-first' is wrong in the "
            "source: mark it '- ( )' as there\n"
            f"quiz.de.md:{FIRST_OPTION + 2}: option 2 of question 'q-first' is right in the "
            "source: mark it '- (x)' as there",
            id="different right answer",
        ),
        pytest.param(
            QUIZ_DE.replace("{#q-first}", "{#q-erste}"),
            f"quiz.de.md:{FIRST_QUESTION}: question 1 is 'q-first' in the source but has "
            "'q-erste' here: keep the questions in the source's order and copy its "
            "attributes {#q-first}",
            id="different id",
        ),
        pytest.param(
            QUIZ_DE.replace("{#q-first}", ""),
            f"quiz.de.md:{FIRST_QUESTION}: question 1 is 'q-first' in the source but has no "
            "id here: keep the questions in the source's order and copy its attributes "
            "{#q-first}",
            id="id left out",
        ),
        pytest.param(
            QUIZ_DE.replace("{#q-first}", "{#q-first reread=what-trauma-is}"),
            f"quiz.de.md:{FIRST_QUESTION}: the attributes differ from the source's: copy "
            "{#q-first}",
            id="different attributes",
        ),
        pytest.param(
            QUIZ_DE.replace("- [x] Eine", "- (x) Eine").replace("- [ ] Viele", "- ( ) Viele"),
            f"quiz.de.md:{SECOND_QUESTION}: question 'q-safe' is written with '- [ ]' options "
            "in the source but '- ( )' here: keep the kind of question",
            id="different kind",
        ),
    ],
)
def test_a_translation_that_grades_differently_fails_the_check(write_module, changed, message):
    assert check(write_module, changed) == message.split("\n")


def test_questions_in_another_order_fail_the_check(write_module):
    first, second = QUIZ_DE.split("\n## ")[1:]
    swapped = f"\n## {second.rstrip()}\n\n## {first}"

    assert check(write_module, swapped) == [
        f"quiz.de.md:{FIRST_QUESTION}: question 1 is 'q-first' in the source but has 'q-safe' "
        "here: keep the questions in the source's order and copy its attributes {#q-first}",
        f"quiz.de.md:{SECOND_QUESTION - 1}: question 2 is 'q-safe' in the source but has "
        "'q-first' here: keep the questions in the source's order and copy its attributes "
        "{#q-safe}",
    ]


def test_a_missing_question_fails_the_check(write_module):
    only_first = QUIZ_DE.split("\n## Was hilft")[0] + "\n"

    assert check(write_module, only_first) == [
        "quiz.de.md:5: the translation has 1 questions, the source 2: translate the same "
        "questions, in the same order"
    ]


def test_a_translation_with_errors_is_left_out_and_the_module_stays(write_module):
    folder = write_module()
    write_translation(folder, "quiz.de.md", QUIZ_DE.replace("{#q-first}", "{#q-erste}"))

    module = load_module(folder).module

    assert module is not None
    assert module.in_language("de") is module


def test_questions_without_an_id_take_the_source_s(write_module):
    english = "---\npass_mark: 50\n---\n\n## Is the sky blue?\n\n- (x) Yes\n- ( ) No\n"
    folder = write_module(files={"quiz.md": english})
    write_translation(folder, "quiz.de.md", "\n## Ist der Himmel blau?\n\n- (x) Ja\n- ( ) Nein\n")

    result = load_module(folder, hints=False)

    assert [str(p) for p in result.problems] == []
    assert [q.id for q in result.module.in_language("de").quiz.questions] == ["q-is-the-sky-blue"]


def test_ordering_steps_keep_their_number(write_module):
    english = (
        "---\npass_mark: 50\n---\n\n## Put the hand-over in order {#q-steps}\n\n"
        "1. Ask\n2. Call\n3. Stay\n"
    )
    folder = write_module(files={"quiz.md": english})
    write_translation(
        folder, "quiz.de.md", "\n## Ordnen Sie die Übergabe {#q-steps}\n\n1. Fragen\n2. Anrufen\n"
    )

    problems = load_module(folder, hints=False).problems
    assert [str(p).removeprefix(f"{folder}/") for p in problems] == [
        "quiz.de.md:6: question 'q-steps' has 2 options here but 3 in the source: translate "
        "each option, in the same order",
    ]


def test_a_quiz_translation_takes_no_settings(write_module):
    folder = write_module()
    write_translation(folder, "quiz.de.md", QUIZ_DE, extra="pass_mark: 50\n")

    assert [str(p).removeprefix(f"{folder}/") for p in check_content(folder)] == [
        "quiz.de.md:4: 'pass_mark' is not part of a translation, which takes only "
        "source_sha256, reviewed; everything else comes from the source file"
    ]
    module = load_module(folder).module
    assert module.in_language("de") is module
