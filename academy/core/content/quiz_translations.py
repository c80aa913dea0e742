"""``quiz.<lang>.md``: a quiz translated, checked against its source question by question.

A translation may change only words: the prompts, scenarios, option texts, feedback and
explanations. The questions (their ids and heading attributes), their order, the number
of options, their kind and which are right must be those of the source, or grading in
one language would differ from grading in another. Anything else is an error at the
line where the translation departs from the source.
"""

from __future__ import annotations

import dataclasses

from academy.core.content import facts, frontmatter
from academy.core.content.model import Problem, Question, Quiz
from academy.core.content.quiz import QuestionDraft, build_questions, derived_id, read_questions
from academy.core.content.translation_header import TRANSLATION_KEYS, read_header


def translate_quiz(
    path: str,
    text: str,
    source: Quiz,
    source_language: str,
    language: str,
    source_digest: str | None,
    problems: list[Problem],
) -> Quiz | None:
    """The source quiz with the translated texts, or None if the translation has errors
    (appended to ``problems``)."""
    fm = frontmatter.split(path, text, problems)
    problems += facts.check_elsewhere(path, text)
    translation = read_header(fm, problems, TRANSLATION_KEYS, source_digest, source_language)
    drafts = read_questions(path, fm.body, fm.body_line, problems)
    errors = len(problems)
    _compare(path, drafts, source.questions, fm.body_line, problems)
    if len(problems) > errors:
        return None
    questions = build_questions(path, drafts, problems)
    if translation is None or any(p.severity == "error" for p in problems):
        return None
    return dataclasses.replace(
        source, path=path, questions=questions, language=language, translation=translation
    )


def attribute_block(question: Question) -> str:
    """The heading attributes of a question as its source writes them."""
    words = [f"#{question.id}"]
    words += [f"{key}={value}" for key in ("group", "reread") if (value := getattr(question, key))]
    words += ["order=fixed"] if question.fixed_order else []
    return "{" + " ".join(words) + "}"


def _compare(
    path: str,
    drafts: list[QuestionDraft],
    questions: tuple[Question, ...],
    first_line: int,
    problems: list[Problem],
) -> None:
    """Problems where the translated drafts differ from the source's questions. A
    question whose source has no ``{#id}`` takes the source's id (derived from the
    English heading, it would differ in any other language)."""

    def error(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    if len(drafts) != len(questions):
        line = drafts[len(questions)].line if len(drafts) > len(questions) else first_line
        error(
            line,
            f"the translation has {len(drafts)} questions, the source {len(questions)}: "
            "translate the same questions, in the same order",
        )
    for index, (draft, question) in enumerate(zip(drafts, questions, strict=False), start=1):
        block = attribute_block(question)
        if draft.explicit_id is None and question.id == derived_id(question.text, index):
            draft.explicit_id = question.id
        if draft.explicit_id != question.id:
            written = f"'{draft.explicit_id}'" if draft.explicit_id else "no id"
            error(
                draft.line,
                f"question {index} is '{question.id}' in the source but has {written} here: "
                f"keep the questions in the source's order and copy its attributes {block}",
            )
            continue
        written = (draft.group, draft.reread, draft.fixed_order)
        if written != (question.group, question.reread, question.fixed_order):
            error(draft.line, f"the attributes differ from the source's: copy {block}")
        _compare_options(draft, question, error)


def _compare_options(draft: QuestionDraft, question: Question, error) -> None:
    if not draft.options:
        return  # the parser says so
    kind = draft.options[0].type
    if kind.name != question.kind:
        error(
            draft.line,
            f"question '{question.id}' is written with '{question.type.line_start}' options in "
            f"the source but '{kind.line_start}' here: keep the kind of question",
        )
        return
    if len(draft.options) != len(question.options):
        error(
            draft.line,
            f"question '{question.id}' has {len(draft.options)} options here but "
            f"{len(question.options)} in the source: translate each option, in the same order",
        )
        return
    for number, (written, option) in enumerate(
        zip(draft.options, question.options, strict=True), start=1
    ):
        if written.correct != option.correct:
            verdict = "right" if option.correct else "wrong"
            box = kind.box.replace(" ", "x") if option.correct else kind.box
            error(
                written.line,
                f"option {number} of question '{question.id}' is {verdict} in the source: "
                f"mark it '- {box}' as there",
            )
