"""Item analysis: how each question of one quiz version performs, from its attempts.

Pure functions over attempts (the questions drawn, the answers, which were right): no
database, no request, no catalogue, so the figures can be checked against answer patterns
worked out by hand. ``item_reports.py`` feeds them from the database and the catalogue;
docs/trainers.md explains the figures to trainers.

For each question, over the attempts that drew it (an unanswered drawn question is wrong):

* **facility**: the share of those attempts that got it right, in percent;
* **discrimination**: the point-biserial correlation between the question's score
  (1 right, 0 wrong) and the attempt's **rest-score**, the number of the attempt's other
  drawn questions it got right. It is Pearson's r of those two columns, from -1 to 1:
  positive when the trainees who do well on the rest of the quiz also get this question
  right. It is not defined when everybody got the question right (or wrong), or when
  every attempt has the same rest-score;
* **options**: how many attempts chose each option, as the question's type counts them
  (``QuestionType.counted_options``).

Aggregates only: with fewer than ``MIN_ATTEMPTS`` attempts a question has no figures at
all. A question has at most as many attempts as its version, so a version with fewer
than ``MIN_ATTEMPTS`` attempts has no figures (and no discrimination index) at all.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

MIN_ATTEMPTS = 5  # fewer, and one trainee's answers could be read off the figures
TOO_EASY_OVER = 90  # percent right
TOO_HARD_UNDER = 30  # percent right
DECIMALS = 3  # of the discrimination index


class Flag(enum.Enum):
    """Why a question deserves a look; the value is what the page and the CSV say."""

    TOO_EASY = f"too easy (over {TOO_EASY_OVER} % right)"
    TOO_HARD = f"too hard (under {TOO_HARD_UNDER} % right)"
    NEGATIVE_DISCRIMINATION = "negative discrimination"
    UNUSED_DISTRACTOR = "a distractor nobody picks"


class Attempt(NamedTuple):
    """One submitted attempt, as far as item analysis needs it."""

    question_ids: Sequence[str]  # the questions it drew
    answers: Mapping[str, Sequence[str]]  # question id -> the option ids sent
    correct: Mapping[str, bool]  # question id -> answered right; missing means wrong


@dataclass(frozen=True)
class KnownQuestion:
    """What the loaded content says about a question: its options and how to count them."""

    option_ids: tuple[str, ...]
    wrong_option_ids: frozenset[str]
    counted_options: Callable[[Sequence[str]], frozenset[str]]


@dataclass(frozen=True)
class ItemFigures:
    """One question's figures. With too few attempts only ``attempts`` is filled in."""

    question_id: str
    attempts: int
    right: int | None = None
    discrimination: float | None = None  # None: too few attempts, or not defined
    option_counts: Mapping[str, int] = field(default_factory=dict)  # option id -> chosen
    flags: tuple[Flag, ...] = ()
    unused_distractors: tuple[str, ...] = ()  # option ids

    @property
    def too_few(self) -> bool:
        return self.attempts < MIN_ATTEMPTS

    @property
    def facility(self) -> float | None:
        """Percent right."""
        return None if self.right is None else 100 * self.right / self.attempts


@dataclass(frozen=True)
class VersionFigures:
    attempts: int
    items: dict[str, ItemFigures]  # by question id, in the order first drawn

    @property
    def too_few(self) -> bool:
        return self.attempts < MIN_ATTEMPTS


@dataclass(slots=True)
class _Sums:
    """Running sums for one question: x is its score (0/1), y the rest-score."""

    question: KnownQuestion | None  # None: its options are not known, so not counted
    n: int = 0
    sum_x: int = 0
    sum_y: int = 0
    sum_yy: int = 0
    sum_xy: int = 0
    chosen: dict[str, int] = field(default_factory=dict)


def analyse(attempts: Iterable[Attempt], known: Mapping[str, KnownQuestion]) -> VersionFigures:
    """Every question's figures, in one pass over the attempts (10,000 attempts of 8
    questions each take about 0.1 s: the loop stays plain on purpose)."""
    sums: dict[str, _Sums] = {}
    total = 0
    for question_ids, answers, correct in attempts:
        total += 1
        score = sum(1 for qid in question_ids if correct.get(qid))
        for qid in question_ids:
            tallied = sums.get(qid)
            if tallied is None:
                tallied = sums[qid] = _Sums(known.get(qid))
            tallied.n += 1
            if correct.get(qid):  # x = 1, y = score - 1
                tallied.sum_x += 1
                tallied.sum_xy += score - 1
                tallied.sum_y += score - 1
                tallied.sum_yy += (score - 1) ** 2
            else:  # x = 0, y = score
                tallied.sum_y += score
                tallied.sum_yy += score * score
            if tallied.question is not None:
                chosen = tallied.chosen
                for option in tallied.question.counted_options(answers.get(qid, ())):
                    chosen[option] = chosen.get(option, 0) + 1
    items = {qid: _figures(qid, tallied) for qid, tallied in sums.items()}
    return VersionFigures(attempts=total, items=items)


def point_biserial(sums: _Sums) -> float | None:
    """Pearson's r of the 0/1 score and the rest-score, rounded; None if not defined."""
    n, sum_x, sum_y = sums.n, sums.sum_x, sums.sum_y
    spread_x = n * sum_x - sum_x * sum_x  # n * Σx² - (Σx)², and x² = x
    spread_y = n * sums.sum_yy - sum_y * sum_y
    if spread_x <= 0 or spread_y <= 0:
        return None
    r = (n * sums.sum_xy - sum_x * sum_y) / math.sqrt(spread_x * spread_y)
    return round(r, DECIMALS) + 0.0  # + 0.0: no "-0.000"


def _figures(qid: str, sums: _Sums) -> ItemFigures:
    if sums.n < MIN_ATTEMPTS:
        return ItemFigures(question_id=qid, attempts=sums.n)
    discrimination = point_biserial(sums)
    question = sums.question
    counts: dict[str, int] = {}
    unused: tuple[str, ...] = ()
    if question is not None:
        counts = {option_id: sums.chosen.get(option_id, 0) for option_id in question.option_ids}
        wrong = question.wrong_option_ids
        unused = tuple(o for o, chosen in counts.items() if o in wrong and not chosen)
    flags = []
    if sums.sum_x * 100 > TOO_EASY_OVER * sums.n:  # integers: no rounding at the border
        flags.append(Flag.TOO_EASY)
    if sums.sum_x * 100 < TOO_HARD_UNDER * sums.n:
        flags.append(Flag.TOO_HARD)
    if discrimination is not None and discrimination < 0:
        flags.append(Flag.NEGATIVE_DISCRIMINATION)
    if unused:
        flags.append(Flag.UNUSED_DISTRACTOR)
    return ItemFigures(
        question_id=qid,
        attempts=sums.n,
        right=sums.sum_x,
        discrimination=discrimination,
        option_counts=counts,
        flags=tuple(flags),
        unused_distractors=unused,
    )
