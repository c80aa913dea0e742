"""Parse ``quiz.md`` (format in docs/authoring.md).

The body is read line by line with a small state machine rather than through the
Markdown AST, so that every problem points at the exact source line; each piece
(prompt, body, option, feedback, explanation) is then rendered on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from markdown.extensions.toc import slugify_unicode

from academy.core.content import frontmatter, question_types, quiz_hints
from academy.core.content.model import (
    DEFAULT_FAILS_BEFORE_WAIT,
    DEFAULT_WAIT_HOURS,
    REVIEW_AFTER_SUCCESS,
    REVIEW_POLICIES,
    Option,
    Problem,
    Question,
    Quiz,
)
from academy.core.content.question_types import QuestionType
from academy.core.markdown import html_to_text, render_inline, render_markdown

QUIZ_KEYS = {"pass_mark", "draw", "review", "fails_before_wait", "wait_hours"}
# Pacing limits: a wait of up to 30 days after up to 20 failed attempts in a row.
MAX_FAILS_BEFORE_WAIT = 20
MAX_WAIT_HOURS = 30 * 24
ATTRIBUTE_KEYS = ("group", "reread", "order")  # besides #id, in a heading's {…}
MAX_ID_LENGTH = 60

_QUESTION = re.compile(r"^##(?!#)\s*(.*?)\s*$")
# The attribute list at the end of a heading: {#q-id group=crisis reread=crisis-rule order=fixed}
_ATTRIBUTES = re.compile(r"\s*\{([^}]*)\}$")
_ATTRIBUTE = re.compile(r"(\w+)=(\S*)")
_VALID_ID = re.compile(r"[A-Za-z0-9][\w-]*")
_FEEDBACK = re.compile(r"^\s+>\s?(.*?)\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


class _State(Enum):
    BODY = "body"
    OPTIONS = "options"
    EXPLANATION = "explanation"


@dataclass
class OptionDraft:
    line: int
    source: str  # the option's first line as written
    type: QuestionType
    correct: bool
    text: list[str]
    feedback: list[str] = field(default_factory=list)


@dataclass
class QuestionDraft:
    line: int
    heading: str
    explicit_id: str | None
    group: str | None = None
    reread: str | None = None
    fixed_order: bool = False
    body: list[str] = field(default_factory=list)
    options: list[OptionDraft] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)


def parse_quiz(path: str, text: str, *, hints: bool = False) -> tuple[Quiz | None, list[Problem]]:
    """The quiz, or None if it has errors; and all problems found. ``hints`` adds the
    warnings for authors (quiz_hints: a small pool, wording cues) to a quiz that loads."""
    problems: list[Problem] = []
    fm = frontmatter.split(path, text, problems)
    fields = frontmatter.Fields(fm, problems)
    pass_mark = None
    if fm.valid:
        fields.unknown_keys(QUIZ_KEYS)
        pass_mark = fields.integer("pass_mark", 1, 100)
    elif not fm.present:
        problems.append(Problem(path, 1, "quiz.md must start with front matter (pass_mark)"))
    drafts = read_questions(path, fm.body, fm.body_line, problems)
    if not drafts:
        problems.append(Problem(path, 1, "the quiz has no questions ('## ' headings)"))
    questions = build_questions(path, drafts, problems)
    draw = _draw(fields, drafts) if fm.valid else None
    settings = _review_and_pacing(fields) if fm.valid else {}
    if pass_mark is None or any(p.severity == "error" for p in problems):
        return None, problems
    quiz = Quiz(path=path, pass_mark=pass_mark, draw=draw, questions=questions, **settings)
    if hints:
        problems += quiz_hints.check(quiz, fm.line_of("draw"))
    return quiz, problems


def _review_and_pacing(fields: frontmatter.Fields) -> dict:
    """``review``, ``fails_before_wait`` and ``wait_hours``, each with its default."""
    review = fields.fm.data.get("review")
    if review is None:  # missing, or "review:" without a value, as for the numbers
        review = REVIEW_AFTER_SUCCESS
    elif review not in REVIEW_POLICIES:
        fields.error("review", f"'review' must be one of: {', '.join(REVIEW_POLICIES)}")
    fails = fields.integer(
        "fails_before_wait", 1, MAX_FAILS_BEFORE_WAIT, default=DEFAULT_FAILS_BEFORE_WAIT
    )
    hours = fields.integer("wait_hours", 0, MAX_WAIT_HOURS, default=DEFAULT_WAIT_HOURS)
    return {"review": review, "fails_before_wait": fails, "wait_hours": hours}


def _draw(fields: frontmatter.Fields, drafts: list[QuestionDraft]) -> int | None:
    draw = fields.fm.data.get("draw")
    if draw is None:
        return None
    if isinstance(draw, bool) or not isinstance(draw, int) or draw < 1:
        fields.error("draw", "'draw' must be a whole number, 1 or more")
        return None
    if drafts and draw > len(drafts):
        fields.error("draw", f"'draw' is {draw} but the quiz has only {len(drafts)} questions")
        return None
    groups = {d.group for d in drafts if d.group is not None}
    if len(groups) > draw:
        # Every attempt asks one question of each group (draw_questions): it cannot.
        fields.error(
            "draw",
            f"'draw' is {draw} but the quiz has {len(groups)} groups; every attempt "
            "asks a question of each group, so draw at least one per group",
        )
        return None
    return draw


def read_questions(
    path: str, body: str, first_line: int, problems: list[Problem]
) -> list[QuestionDraft]:
    """The questions of a quiz body (starting at file line ``first_line``) as written,
    before they are checked and rendered; a quiz translation is read the same way."""
    questions: list[QuestionDraft] = []
    question: QuestionDraft | None = None
    state = _State.BODY
    in_fence = False
    preamble_reported = False
    for number, line in enumerate(body.split("\n"), start=first_line):
        heading = None if in_fence else _QUESTION.match(line)
        if heading:
            question = _start_question(path, number, heading.group(1), problems)
            questions.append(question)
            state = _State.BODY
        elif question is None:
            if line.strip() and not preamble_reported:
                problems.append(Problem(path, number, "text before the first question"))
                preamble_reported = True
        elif in_fence or _FENCE.match(line):
            in_fence = in_fence != bool(_FENCE.match(line))
            state = _State.BODY if state is _State.BODY else _State.EXPLANATION
            _section(question, state).append(line)
        else:
            state = _read_line(path, number, line, question, state, problems)
    return questions


def _start_question(path: str, number: int, heading: str, problems: list[Problem]) -> QuestionDraft:
    attributes = _ATTRIBUTES.search(heading)
    if attributes:
        heading = heading[: attributes.start()].strip()
    if not heading:
        problems.append(Problem(path, number, "question heading has no text"))
    draft = QuestionDraft(line=number, heading=heading, explicit_id=None)
    if attributes:
        _read_attributes(path, number, attributes.group(1).split(), draft, problems)
    return draft


def _read_attributes(
    path: str, number: int, words: list[str], draft: QuestionDraft, problems: list[Problem]
) -> None:
    """Fill the draft from the heading's {…}: #id, group=, reread= and order=fixed."""

    def problem(message: str) -> None:
        problems.append(Problem(path, number, message))

    for word in words:
        pair = _ATTRIBUTE.fullmatch(word)
        if word.startswith("#"):
            draft.explicit_id = word[1:]
            if not _VALID_ID.fullmatch(draft.explicit_id):
                problem(f"invalid question id '{draft.explicit_id}' (letters, digits, - and _)")
        elif pair is None or pair.group(1) not in ATTRIBUTE_KEYS:
            listed = ", ".join(f"{key}=" for key in ATTRIBUTE_KEYS)
            problem(f"unknown question attribute '{word}' (use #id, {listed})")
        elif not _VALID_ID.fullmatch(pair.group(2)):
            problem(f"'{pair.group(1)}=' needs a name of letters, digits, - and _")
        elif pair.group(1) == "order":
            if pair.group(2) != "fixed":
                problem("'order=' takes only 'fixed' (options shown as written)")
            draft.fixed_order = True
        else:
            setattr(draft, pair.group(1), pair.group(2))


def _read_line(
    path: str,
    number: int,
    line: str,
    question: QuestionDraft,
    state: _State,
    problems: list[Problem],
) -> _State:
    """Add one line to the question; returns the state for the next line."""
    option = question_types.read_option(line)
    if option:
        if state is _State.EXPLANATION:
            problems.append(Problem(path, number, "options must come before the explanation"))
            return state
        question.options.append(_new_option(path, number, line, option, problems))
        return _State.OPTIONS
    if state is _State.OPTIONS:
        if not line.strip():
            return state
        last = question.options[-1]
        feedback = _FEEDBACK.match(line)
        if feedback:
            last.feedback.append(feedback.group(1))
            return state
        if line[0] in " \t":
            # An indented line continues the option text, or its feedback once begun.
            (last.feedback or last.text).append(line.strip())
            return state
        state = _State.EXPLANATION
    _section(question, state).append(line)
    return state


def _new_option(
    path: str,
    number: int,
    line: str,
    option: tuple[QuestionType, bool, str],
    problems: list[Problem],
) -> OptionDraft:
    qtype, correct, text = option
    if not text:
        problems.append(Problem(path, number, "option has no text"))
    return OptionDraft(line=number, source=line, type=qtype, correct=correct, text=[text])


def _section(question: QuestionDraft, state: _State) -> list[str]:
    return question.body if state is _State.BODY else question.explanation


def build_questions(
    path: str, drafts: list[QuestionDraft], problems: list[Problem]
) -> tuple[Question, ...]:
    """The drafts checked and rendered; every problem is appended to ``problems``."""
    questions = []
    seen: set[str] = set()
    for index, draft in enumerate(drafts, start=1):
        question = _build_question(path, index, draft, problems)
        if question.id in seen:
            problems.append(Problem(path, draft.line, f"duplicate question id '{question.id}'"))
        seen.add(question.id)
        questions.append(question)
    return tuple(questions)


def _build_question(
    path: str, index: int, draft: QuestionDraft, problems: list[Problem]
) -> Question:
    prompt_html = render_inline(draft.heading)
    text = html_to_text(prompt_html)
    qtype = _check_options(path, draft, problems)
    options = tuple(
        Option(
            id=str(number),
            html=render_inline(" ".join(option.text)),
            correct=option.correct,
            feedback_html=render_inline(" ".join(option.feedback)),
        )
        for number, option in enumerate(draft.options, start=1)
    )
    return Question(
        id=draft.explicit_id or derived_id(text, index),
        kind=qtype.name,
        text=text,
        prompt_html=prompt_html,
        body_html=render_markdown("\n".join(draft.body)),
        options=options,
        explanation_html=render_markdown("\n".join(draft.explanation)),
        line=draft.line,
        group=draft.group,
        reread=draft.reread,
        fixed_order=draft.fixed_order,
    )


def derived_id(text: str, index: int) -> str:
    """The id of the ``index``-th question (from 1) whose heading has no ``{#id}``."""
    slug = slugify_unicode(text, "-")[:MAX_ID_LENGTH].strip("-")
    # A heading of only punctuation or emoji has no slug; its position has to do.
    return f"q-{slug or index}"


def _check_options(path: str, draft: QuestionDraft, problems: list[Problem]) -> QuestionType:
    """Problems with the question's options; returns its type. The rules every type
    shares come first; a question whose options are of one type then gets that type's."""

    def error(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    options = draft.options
    if not options:
        listed = " or ".join(f"'{start}'" for start in question_types.line_starts())
        error(draft.line, f"question has no options ({listed} list items)")
        return question_types.default_type()
    qtype = options[0].type
    mixed = next((o for o in options if o.type is not qtype), None)
    if mixed:
        listed = " and ".join(f"'{box}'" for box in question_types.boxes([qtype, mixed.type]))
        error(mixed.line, f"question mixes {listed} options; use one kind")
    if len(options) < 2:
        error(draft.line, "question needs at least two options")
    if draft.fixed_order and qtype.fixed_order_problem:
        error(draft.line, qtype.fixed_order_problem)
    if not any(o.correct for o in options):
        error(draft.line, "question has no correct option")
    elif not mixed:
        for line, message in qtype.check_options(draft.line, options):
            error(line, message)
    return qtype
