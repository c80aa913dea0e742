"""Question types: every kind of quiz question, each in one class (as CTFd's challenge types).

A type says how its options are written in ``quiz.md`` and what else is wrong with
them, how the answer the quiz sheet sends is read, checked and graded, and which
template partials show it. It is registered under its ``name``, which the parser puts
in ``Question.kind`` (and so into the content cache); ``Question.type`` gives the class
back. The parser, the quizzes feature and the templates ask the type and never name one.

The registry lives in core, beside the parser that needs it, because core never imports
a feature; a type is a pure function of the question and the values sent (no database,
no request), so the quizzes feature only calls it. Being in ``academy/core/content`` also
puts its source in the content cache's fingerprint: a changed type renders afresh.

Adding a type: a subclass of ``QuestionType`` decorated with ``@register``, and its sheet
partial in ``templates/quizzes/types/`` (docs/authoring.md, "Question types").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar

if TYPE_CHECKING:
    from academy.core.content.model import Option, Question

# One question's answer as the quiz sheet sends it and QuizAttempt.answers stores it.
Answer = list[str]


class MarkedOption(Protocol):
    """An option as the parser read it, before rendering."""

    line: int
    correct: bool


class QuestionType:
    """The behaviour every type shares: options marked right or wrong, ticked on the
    sheet, graded all or nothing. A subclass sets the class attributes and overrides
    what differs."""

    name: ClassVar[str]  # stored in Question.kind and the content cache: never rename one
    # How an option is written after "- " in quiz.md, e.g. "( )"; an x inside marks it right.
    box: ClassVar[str]
    sheet_template: ClassVar[str]  # the partial the quiz page includes for each question
    review_template: ClassVar[str] = "quizzes/types/choice_review.html"  # the result page's
    _option_line: ClassVar[re.Pattern[str]]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "box" in cls.__dict__:
            opening, closing = re.escape(cls.box[0]), re.escape(cls.box[-1])
            cls._option_line = re.compile(rf"^[-*]\s+{opening}([ xX]){closing}(?:\s+(.*?))?\s*$")

    # quiz.md

    def read_option(self, line: str) -> tuple[bool, str] | None:
        """Whether the line is an option of this type: (marked right, its text), else None."""
        match = self._option_line.match(line)
        if match is None:
            return None
        return match.group(1) in "xX", match.group(2) or ""

    def check_options(
        self, line: int, options: Sequence[MarkedOption]
    ) -> Iterator[tuple[int, str]]:
        """Problems (line, message) this type adds to the parser's own checks, which
        every question gets: options present, of one type, at least two, one right."""
        return iter(())

    # the quiz sheet and the result page

    def options_for_sheet(self, question: Question) -> tuple[Option, ...]:
        """The options in the order the quiz page shows them."""
        return question.options

    def read_answer(self, values: Sequence[str]) -> Answer:
        """The answer from the values the sheet sent in the question's field, in order."""
        return list(dict.fromkeys(values))

    def answer_problem(self, question: Question, answer: Answer) -> str | None:
        """Why the answer cannot be graded, said after "Question N"; None if it can."""
        if any(question.option(option_id) is None for option_id in answer):
            return "received an option it does not have. Please reload."
        return None

    def grade(self, question: Question, answer: Answer) -> bool:
        """All or nothing: exactly the right options."""
        return set(answer) == question.correct_ids

    # item analysis (academy/modules/trainer/item_analysis.py)

    def counted_options(self, question: Question, answer: Answer) -> frozenset[str]:
        """The options an answer counts as chosen, for how often each option is picked."""
        return frozenset(answer)


QUESTION_TYPES: dict[str, QuestionType] = {}  # by name, in the order they were registered

T = TypeVar("T", bound=type[QuestionType])


def register(cls: T) -> T:
    """Add a question type; its name and its box must be new."""
    if cls.name in QUESTION_TYPES or cls.box in boxes():
        raise ValueError(f"question type {cls.name!r} or its box {cls.box!r} is taken")
    QUESTION_TYPES[cls.name] = cls()
    return cls


def question_type(name: str) -> QuestionType:
    return QUESTION_TYPES[name]


def default_type() -> QuestionType:
    """The type of a question without options (a broken one: it is reported, never shown)."""
    return next(iter(QUESTION_TYPES.values()))


def read_option(line: str) -> tuple[QuestionType, bool, str] | None:
    """The option a quiz.md line writes: its type, whether it is right and its text."""
    for qtype in QUESTION_TYPES.values():
        option = qtype.read_option(line)
        if option is not None:
            return qtype, *option
    return None


def boxes(types: Sequence[QuestionType] | None = None) -> list[str]:
    """The boxes of the given types (default: all), in the order they were registered."""
    return [t.box for t in QUESTION_TYPES.values() if types is None or t in types]


@register
class SingleChoice(QuestionType):
    """Radio buttons: exactly one right option, and one answer."""

    name = "single"
    box = "( )"
    sheet_template = "quizzes/types/single.html"

    def check_options(
        self, line: int, options: Sequence[MarkedOption]
    ) -> Iterator[tuple[int, str]]:
        correct = sum(o.correct for o in options)
        if correct > 1:
            yield (
                line,
                f"single-choice question has {correct} correct options; "
                "use '- [x]' for multiple choice",
            )

    def answer_problem(self, question: Question, answer: Answer) -> str | None:
        problem = super().answer_problem(question, answer)
        if problem is None and len(answer) > 1:
            return "takes one answer only."
        return problem


@register
class MultipleChoice(QuestionType):
    """Checkboxes: tick all right options and no wrong one."""

    name = "multiple"
    box = "[ ]"
    sheet_template = "quizzes/types/multiple.html"
