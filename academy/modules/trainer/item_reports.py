"""Item analysis reports: the figures of ``item_analysis.py`` for one quiz version, with
the question and option texts of the loaded content, for the page and the CSV export.

Which attempts count: each trainee's first submitted attempt at the version (the reasons
are in docs/trainers.md). Their per-question results are those recorded when they were
submitted; attempts submitted before results were recorded are graded with the loaded
quiz if it is their version, and otherwise left out (and counted as such).
"""

from __future__ import annotations

import csv
import functools
import gc
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask_babel import gettext, lazy_gettext
from werkzeug.exceptions import NotFound

from academy.core.catalogue import current_catalogue
from academy.core.content.model import Question, Quiz
from academy.core.markdown import html_to_text
from academy.core.spreadsheets import csv_safe
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.models import QuizAttempt
from academy.modules.trainer.item_analysis import (
    TOO_EASY_OVER,
    TOO_HARD_UNDER,
    Attempt,
    Flag,
    ItemFigures,
    KnownQuestion,
    VersionFigures,
    analyse,
)

# Longer than the columns hold: no such quiz version, without asking the database.
MAX_SLUG = QuizAttempt.module_slug.type.length
MAX_VERSION = QuizAttempt.module_version.type.length


@dataclass(frozen=True)
class QuestionRow:
    """One question as the page and the CSV show it."""

    id: str
    number: int | None  # its position in the loaded quiz; None: not in it
    text: str | None  # None: the content of this version is no longer loaded
    options: tuple[tuple[str, str, bool], ...]  # (id, plain text, right) of a loaded question
    figures: ItemFigures


@dataclass(frozen=True)
class VersionReport:
    module_slug: str
    module_title: str | None  # None: the module is no longer in the content
    version: str
    content_loaded: bool  # this version's questions are the loaded ones: texts known
    figures: VersionFigures
    questions: list[QuestionRow]
    left_out: int  # attempts from before results were recorded that cannot be graded now


def version_report(module_slug: str, version: str) -> VersionReport:
    """The report of one quiz version; 404 if nobody has submitted an attempt at it."""
    if len(module_slug) > MAX_SLUG or len(version) > MAX_VERSION:
        raise NotFound(gettext("There is no such quiz version."))
    module = current_catalogue().modules.get(module_slug)
    quiz = module.quiz if module is not None and module.version == version else None
    by_id = {question.id: question for question in quiz.questions} if quiz else {}
    with _collection_paused():
        rows = quizzes.first_attempts(module_slug, version)
        if not rows:
            raise NotFound(gettext("Nobody has submitted an attempt at this quiz version."))
        attempts = [attempt for attempt in _attempts(rows, by_id) if attempt is not None]
        figures = analyse(attempts, {qid: _known(q) for qid, q in by_id.items()})
    return VersionReport(
        module_slug=module_slug,
        module_title=module.title if module is not None else None,
        version=version,
        content_loaded=quiz is not None,
        figures=figures,
        questions=_question_rows(quiz, figures),
        left_out=len(rows) - len(attempts),
    )


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Reading 10,000 attempts makes some 200,000 small lists and dicts in one burst, and
    each few hundred of them start the garbage collector, which also walks every object
    the app holds (the rendered curriculum among them). That was more than half of the
    page's time (docs/performance.md). The rows form no reference cycles: reference
    counting frees them, and the collector waits until they are read."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _attempts(
    rows: list[quizzes.FirstAttempt], by_id: dict[str, Question]
) -> Iterator[Attempt | None]:
    """The rows as attempts; None for one that has no recorded results and cannot be
    graded with the loaded quiz (another version, or a question since removed)."""
    for question_ids, answers, correct in rows:
        answers = answers or {}  # a submitted attempt has them; never fail a page on it
        if correct is None:
            if not by_id or any(qid not in by_id for qid in question_ids):
                yield None
                continue
            correct = {}
            for qid in question_ids:
                question = by_id[qid]
                correct[qid] = question.type.grade(question, answers.get(qid, []))
        yield Attempt(question_ids, answers, correct)


def _known(question: Question) -> KnownQuestion:
    return KnownQuestion(
        option_ids=tuple(option.id for option in question.options),
        wrong_option_ids=frozenset(o.id for o in question.options if not o.correct),
        counted_options=functools.partial(question.type.counted_options, question),
    )


def _question_rows(quiz: Quiz | None, figures: VersionFigures) -> list[QuestionRow]:
    """The loaded quiz's questions in its order, then those no longer in it by id."""
    rows = []
    for number, question in enumerate(quiz.questions if quiz else (), start=1):
        options = tuple(
            (option.id, html_to_text(option.html), option.correct) for option in question.options
        )
        item = figures.items.get(question.id) or ItemFigures(question.id, attempts=0)
        rows.append(QuestionRow(question.id, number, question.text, options, item))
    listed = {row.id for row in rows}
    for qid, item in figures.items.items():
        if qid not in listed:
            rows.append(QuestionRow(qid, None, None, (), item))
    return rows


@dataclass(frozen=True)
class ModuleVersions:
    """A module's quiz versions with submitted attempts, for the index page."""

    slug: str
    title: str  # the slug if the module is no longer in the content
    loaded_version: str | None  # the version in the content now
    versions: list[quizzes.VersionWithAttempts]


def versions_with_attempts() -> list[ModuleVersions]:
    """Every module with submitted attempts, in catalogue order, then the ones no longer
    in the content by slug."""
    modules = current_catalogue().modules
    grouped: dict[str, list[quizzes.VersionWithAttempts]] = {}
    for version in quizzes.versions_with_attempts():
        grouped.setdefault(version.module_slug, []).append(version)
    order = {slug: position for position, slug in enumerate(modules)}
    listed = []
    for slug in sorted(grouped, key=lambda slug: (order.get(slug, len(order)), slug)):
        module = modules.get(slug)
        title, loaded = (module.title, module.version) if module else (slug, None)
        listed.append(ModuleVersions(slug, title, loaded, grouped[slug]))
    return listed


# --- wording shared by the page and the CSV -------------------------------------------------


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}"


def discrimination_text(item: ItemFigures) -> str:
    """The index, or why there is none."""
    if item.too_few:
        return gettext("too few attempts")
    if item.discrimination is not None:
        return f"{item.discrimination:.3f}"
    if item.right == item.attempts:
        return gettext("not defined: every attempt got it right")
    if item.right == 0:
        return gettext("not defined: every attempt got it wrong")
    return gettext("not defined: every attempt had the same rest-score")


FLAG_WORDS = {
    Flag.TOO_EASY: lazy_gettext("too easy (over %(percent)s %% right)", percent=TOO_EASY_OVER),
    Flag.TOO_HARD: lazy_gettext("too hard (under %(percent)s %% right)", percent=TOO_HARD_UNDER),
    Flag.NEGATIVE_DISCRIMINATION: lazy_gettext("negative discrimination"),
    Flag.UNUSED_DISTRACTOR: lazy_gettext("a distractor nobody picks"),
}


def flag_texts(item: ItemFigures) -> list[str]:
    """The flags in words; the distractor nobody picks names its option(s)."""
    texts = []
    for flag in item.flags:
        if flag is Flag.UNUSED_DISTRACTOR:
            texts.append(
                gettext(
                    "%(flag)s (option %(options)s)",
                    flag=FLAG_WORDS[flag],
                    options=", ".join(item.unused_distractors),
                )
            )
        else:
            texts.append(str(FLAG_WORDS[flag]))
    return texts


# --- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "module",
    "version",
    "number",
    "question",
    "question_text",
    "option",
    "option_text",
    "right_option",
    "attempts",
    "facility_percent",
    "discrimination",
    "chosen",
    "chosen_percent",
    "flags",
    "note",
)


def report_csv(report: VersionReport) -> str:
    """One row per question, each followed by one row per option (docs/trainers.md)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.questions:
        item = row.figures
        # Texts from the content go through csv_safe; figures are ours ("-0.125" stays a number).
        key = [csv_safe(report.module_slug), csv_safe(report.version), row.number or ""]
        key += [csv_safe(row.id), csv_safe(row.text or "")]
        writer.writerow(key + _question_cells(report, row))
        for option_id, text, right in () if item.too_few else row.options:
            chosen = item.option_counts[option_id]
            cells = [csv_safe(option_id), csv_safe(text), "yes" if right else "no", "", "", ""]
            cells += [chosen, percent(chosen, item.attempts), "", ""]
            writer.writerow(key + cells)
    return buffer.getvalue()


def csv_filename(report: VersionReport) -> str:
    """A file name of safe characters only (a version is any text its author wrote)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{report.module_slug}-{report.version}")
    return f"item-analysis-{name}.csv"


def _question_cells(report: VersionReport, row: QuestionRow) -> list[object]:
    """A question's row from the column "option" on: its figures, flags and notes."""
    item = row.figures
    notes = []
    if not report.content_loaded:
        notes.append("text not available")
    elif row.number is None:
        notes.append("no longer in the quiz")
    facility = discrimination = ""
    if item.too_few:
        notes.append("too few attempts")
    else:
        facility = percent(item.right or 0, item.attempts)
        discrimination = discrimination_text(item)
        if item.discrimination is None:
            notes.append(discrimination)
            discrimination = ""
    flags = "; ".join(flag_texts(item))
    return ["", "", "", item.attempts, facility, discrimination, "", "", flags, "; ".join(notes)]
