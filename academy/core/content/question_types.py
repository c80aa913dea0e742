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

import hmac
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar

from flask_babel import gettext, lazy_gettext, ngettext

if TYPE_CHECKING:
    from academy.core.content.model import Option, Question

# One question's answer as the quiz sheet sends it and QuizAttempt.answers stores it.
Answer = list[str]


class MarkedOption(Protocol):
    """An option as the parser read it, before rendering."""

    line: int
    correct: bool
    source: str  # its first line as written in quiz.md


def shuffled(options: Sequence[Option], order_key: bytes, question_id: str) -> tuple[Option, ...]:
    """The options in the order one attempt shows them: sorted by a keyed hash of the
    question and the option, so the same key always gives the same order (a reload, a
    second tab, the result page) and different keys give independent orders. A sort key
    per option rather than ``random.shuffle`` with a seed: Python promises no stable
    shuffle across versions, and an upgrade must not reorder an attempt in progress."""
    return tuple(
        sorted(
            options,
            key=lambda o: hmac.digest(order_key, f"{question_id}\0{o.id}".encode(), "sha256"),
        )
    )


class QuestionType:
    """The behaviour every type shares: options marked right or wrong, ticked on the
    sheet, graded all or nothing. A subclass sets the class attributes and overrides
    what differs."""

    name: ClassVar[str]  # stored in Question.kind and the content cache: never rename one
    # How an option is written after "- " in quiz.md, e.g. "( )"; an x inside marks it right.
    box: ClassVar[str]
    sheet_template: ClassVar[str]  # the partial the quiz page includes for each question
    review_template: ClassVar[str] = "quizzes/types/choice_review.html"  # the result page's
    # How an option line starts, for messages: "- ( )"; a type with its own syntax sets it.
    line_start: ClassVar[str]
    # Only one option may be picked (radio buttons); the wording-cue checks read these.
    one_answer: ClassVar[bool] = False
    # Why `order=fixed` cannot pin this type's options, or None if it can.
    fixed_order_problem: ClassVar[str | None] = None
    _option_line: ClassVar[re.Pattern[str]]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "box" in cls.__dict__ and "_option_line" not in cls.__dict__:
            opening, closing = re.escape(cls.box[0]), re.escape(cls.box[-1])
            cls._option_line = re.compile(rf"^[-*]\s+{opening}([ xX]){closing}(?:\s+(.*?))?\s*$")
        if "box" in cls.__dict__ and "line_start" not in cls.__dict__:
            cls.line_start = f"- {cls.box}"

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

    def options_for_sheet(self, question: Question, order_key: bytes) -> tuple[Option, ...]:
        """The options in the order one attempt shows them, on the quiz page and the
        result page: shuffled by the attempt's ``order_key``, or as written when the
        author pinned them with ``order=fixed``."""
        if question.fixed_order:
            return question.options
        return shuffled(question.options, order_key, question.id)

    def read_answer(self, values: Sequence[str]) -> Answer:
        """The answer from the values the sheet sent in the question's field, in order."""
        return list(dict.fromkeys(values))

    def answer_problem(self, question: Question, answer: Answer) -> str | None:
        """Why the answer cannot be graded, said after "Question N"; None if it can."""
        if any(question.option(option_id) is None for option_id in answer):
            return gettext("received an option it does not have. Please reload.")
        return None

    def grade(self, question: Question, answer: Answer) -> bool:
        """All or nothing: exactly the right options."""
        return set(answer) == question.correct_ids

    def right_answer(self, question: Question) -> Answer:
        """An answer graded right, as the sheet would send it."""
        return [o.id for o in question.options if o.correct]

    def counted_options(self, question: Question, answer: Answer) -> frozenset[str]:
        """The options an answer counts as chosen, for how often each option is picked
        (item analysis, academy/modules/trainer/item_analysis.py)."""
        return frozenset(answer)

    def revealed_options(
        self, question: Question, answer: Answer, show_key: bool
    ) -> frozenset[str]:
        """The options whose status (right or not) and feedback the result page may show.

        With the key: the chosen and the right ones. Without it, only what the verdict
        already tells: after a right answer the chosen options are right; after
        a wrong one, nothing, since feedback on a ticked option ("Right. ...") would tell
        which of the ticked options are right, and so part of the key.
        """
        if show_key:
            return frozenset(answer) | question.correct_ids
        return frozenset(answer) if self.grade(question, answer) else frozenset()


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


def line_starts() -> list[str]:
    """How each type's option lines start, in the order they were registered."""
    return [t.line_start for t in QUESTION_TYPES.values()]


@register
class SingleChoice(QuestionType):
    """Radio buttons: exactly one right option, and one answer."""

    name = "single"
    box = "( )"
    sheet_template = "quizzes/types/choice.html"
    input_type = "radio"
    hint = lazy_gettext("Choose one answer.")
    one_answer = True

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
            return gettext("takes one answer only.")
        return problem

    def revealed_options(
        self, question: Question, answer: Answer, show_key: bool
    ) -> frozenset[str]:
        """The chosen option even after a wrong answer: with one answer and one right
        option, "not right" already says that the chosen option is not the right one."""
        return super().revealed_options(question, answer, show_key) | frozenset(answer)


@register
class MultipleChoice(QuestionType):
    """Checkboxes: tick all right options and no wrong one."""

    name = "multiple"
    box = "[ ]"
    sheet_template = "quizzes/types/choice.html"
    input_type = "checkbox"
    hint = lazy_gettext("Choose all answers that are right.")


@register
class Ordering(QuestionType):
    """Steps to put in order, such as a hand-over. Written as a numbered list in the right
    order; the sheet lists them shuffled and asks, for each place, which step goes there.

    The answer is the step ids in the trainee's order, one per place, "" where none was
    chosen: what the sheet's selects send, in the order of the page, so it is stored as it
    is sent like every other type's. Graded all or nothing: a hand-over with two steps
    swapped is not done right, and a question's score is all or nothing anyway.
    """

    name = "ordering"
    box = "1."
    line_start = "1."
    sheet_template = "quizzes/types/ordering.html"
    review_template = "quizzes/types/ordering_review.html"
    fixed_order_problem = (
        "'order=fixed' does not fit an ordering question: its steps are always shuffled, "
        "or the page would show the answer"
    )
    _option_line = re.compile(r"^(\d{1,2})[.)]\s+(.*?)\s*$")
    min_steps = 3
    max_steps = 10  # one <select> of every step for every place: more is too much on a phone

    def read_option(self, line: str) -> tuple[bool, str] | None:
        match = self._option_line.match(line)
        return None if match is None else (True, match.group(2))

    def check_options(
        self, line: int, options: Sequence[MarkedOption]
    ) -> Iterator[tuple[int, str]]:
        if 2 <= len(options) < self.min_steps:  # fewer than two: the parser has said so
            yield line, f"an ordering question needs at least {self.min_steps} steps"
        if len(options) > self.max_steps:
            yield line, f"an ordering question takes at most {self.max_steps} steps"
        for place, option in enumerate(options, start=1):
            written, text = self._option_line.match(option.source).groups()
            if int(written) != place:
                numbering = "number the steps 1, 2, 3 … in the right order"
                yield (
                    option.line,
                    f"step numbered {written} is step {place} of the list: {numbering}",
                )
            marked = read_option(f"- {text}")
            if marked is not None:
                mark = f"'{marked[0].box}'"
                yield (
                    option.line,
                    f"a step takes no {mark} mark: the order of the steps is the answer",
                )

    def options_for_sheet(self, question: Question, order_key: bytes) -> tuple[Option, ...]:
        """Always shuffled, and never in the right order: that would give it away."""
        shown = shuffled(question.options, order_key, question.id)
        return shown[1:] + shown[:1] if shown == question.options else shown

    def read_answer(self, values: Sequence[str]) -> Answer:
        """One value per place, kept where it is; nothing chosen anywhere is no answer."""
        return list(values) if any(values) else []

    def answer_problem(self, question: Question, answer: Answer) -> str | None:
        steps = {o.id for o in question.options}
        if not answer:
            return None  # unanswered: check_answers names it with the others
        if len(answer) != len(steps) or not set(answer) <= steps | {""}:
            return gettext("received steps it does not have. Please reload.")
        empty = [str(place) for place, step in enumerate(answer, start=1) if not step]
        if empty:
            return ngettext(
                "has no step in place %(places)s: choose a step for every place.",
                "has no step in places %(places)s: choose a step for every place.",
                len(empty),
                places=", ".join(empty),
            )
        if len(set(answer)) != len(answer):
            return gettext("has a step in more than one place: choose each step once.")
        return None

    def grade(self, question: Question, answer: Answer) -> bool:
        return answer == self.right_answer(question)

    def counted_options(self, question: Question, answer: Answer) -> frozenset[str]:
        """The steps the trainee put in their right place."""
        right = self.right_answer(question)
        return frozenset(step for step, place in zip(answer, right, strict=False) if step == place)
