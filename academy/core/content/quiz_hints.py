"""Warnings for quiz authors: a pool too small for its draw, and wording cues.

A certificate should mean the trainee knows the material, not that they retook the quiz
until they had seen every question, or picked the longest option. These checks run for
``academy content check`` (like the plain-language hints) and never stop a quiz from
loading. The thresholds and the method are documented in docs/authoring.md, "Warnings
about how a quiz is built".

Wording cues are read on single-choice questions (types with ``one_answer``): they have
one right option and distractors to compare it with. Lengths are characters of the
option's plain text, as the trainee reads it (Markdown and links removed).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from academy.core.content.model import Problem, Question, Quiz

POOL_FACTOR = 2  # the pool should hold at least twice the questions an attempt draws
LONGEST_SHARE = 1 / 3  # the right option may be the longest in at most this share
MUCH_LONGER = 1.5  # times the longest distractor: "much longer"
SIGNIFICANCE = 0.05  # of the position test, for the quiz as a whole (see _positions)


@dataclass(frozen=True)
class _Choice:
    """A single-choice question as the cue checks see it."""

    line: int
    right: int  # the right option's written position, from 1
    lengths: tuple[int, ...]  # characters of each option, in written order

    @property
    def right_length(self) -> int:
        return self.lengths[self.right - 1]

    @property
    def longest_distractor(self) -> int:
        return max(n for i, n in enumerate(self.lengths, start=1) if i != self.right)


def check(quiz: Quiz, draw_line: int) -> list[Problem]:
    """Warnings for one quiz that loads; ``draw_line`` is the line of its ``draw``
    (or of its front matter, without one)."""
    choices = [_choice(q) for q in quiz.questions if q.type.one_answer]
    found = [
        *_pool(quiz, draw_line),
        *_longest(choices),
        *_positions(choices),
        *_much_longer(choices),
    ]
    return [Problem(quiz.path, line, message, "warning") for line, message in found]


def _choice(question: Question) -> _Choice:
    right = next(i for i, o in enumerate(question.options, start=1) if o.correct)
    return _Choice(question.line, right, tuple(len(o.text) for o in question.options))


def _pool(quiz: Quiz, draw_line: int) -> Iterator[tuple[int, str]]:
    """With fewer than twice the draw, retakes ask nearly the same questions. A group
    guarantees one of its questions to every attempt, so a group of one is asked every
    time: it needs twice that one, too."""
    pool = len(quiz.questions)
    if quiz.draw is None:
        yield (
            draw_line,
            (
                f"every attempt asks all {pool} questions; set 'draw' and write at least "
                f"{POOL_FACTOR} times as many questions, so that retakes differ"
            ),
        )
        return
    if pool < POOL_FACTOR * quiz.draw:
        yield (
            draw_line,
            (
                f"the pool has {pool} questions for a draw of {quiz.draw}; write at least "
                f"{POOL_FACTOR * quiz.draw}, so that retakes differ"
            ),
        )
    if quiz.draw == pool:
        return  # every question is asked anyway
    firsts: dict[str, Question] = {}
    sizes: dict[str, int] = {}
    for question in quiz.questions:
        if question.group is not None:
            firsts.setdefault(question.group, question)
            sizes[question.group] = sizes.get(question.group, 0) + 1
    for group, size in sizes.items():
        if size < POOL_FACTOR:
            yield (
                firsts[group].line,
                (
                    f"group '{group}' has only one question, so every attempt asks it; "
                    f"write at least {POOL_FACTOR} for it"
                ),
            )


def _longest(choices: list[_Choice]) -> Iterator[tuple[int, str]]:
    """With three or four options, the right one is the longest by chance in a third
    or a quarter of the questions; much more often, "pick the longest" passes."""
    longest = sum(c.right_length > c.longest_distractor for c in choices)
    if longest > LONGEST_SHARE * len(choices):
        yield (
            1,
            (
                f"the right option is the longest in {longest} of {len(choices)} single-choice "
                "questions (more than a third); write distractors as long as the right option"
            ),
        )


def _positions(choices: list[_Choice]) -> Iterator[tuple[int, str]]:
    """A one-sided binomial test for each written position: is the right option there
    more often than an author placing it at random would do?

    For position ``p``, ``n`` counts the questions with at least ``p`` options and ``k``
    those whose right option is written there. Chance puts it there with probability
    1/m in a question of m options; the test uses the mean of those, which makes the
    binomial tail an upper bound of the exact one whenever ``k`` is at least one above
    the expected count (Hoeffding 1956), so it errs towards not warning. Testing every
    position multiplies the chances of a false warning, so each is tested at
    SIGNIFICANCE divided by the number of positions (Bonferroni): a quiz whose author
    places the right option at random gets this warning at most once in twenty.
    """
    if not choices:
        return
    positions = max(len(c.lengths) for c in choices)
    for position in range(1, positions + 1):
        able = [c for c in choices if len(c.lengths) >= position]
        there = sum(c.right == position for c in able)
        chance = sum(1 / len(c.lengths) for c in able) / len(able)
        probability = binomial_tail(len(able), there, chance)
        if probability < SIGNIFICANCE / positions:
            yield (
                1,
                (
                    f"the right option is written in position {position} in {there} of "
                    f"{len(able)} single-choice questions; chance alone does that with a "
                    f"probability of {_percent(probability)} (tested at "
                    f"{_percent(SIGNIFICANCE)} for {positions} positions); vary where you write it"
                ),
            )


def binomial_tail(trials: int, successes: int, chance: float) -> float:
    """The probability of at least ``successes`` in ``trials`` with ``chance`` each."""
    return sum(
        math.comb(trials, k) * chance**k * (1 - chance) ** (trials - k)
        for k in range(successes, trials + 1)
    )


def _percent(probability: float) -> str:
    return "under 0.1 %" if probability < 0.001 else f"{probability * 100:.1f} %"


def _much_longer(choices: list[_Choice]) -> Iterator[tuple[int, str]]:
    for choice in choices:
        if choice.right_length > MUCH_LONGER * choice.longest_distractor:
            yield (
                choice.line,
                (
                    f"the right option has {choice.right_length} characters, more than "
                    f"{MUCH_LONGER} times the longest distractor ({choice.longest_distractor}); "
                    "its length gives it away"
                ),
            )
