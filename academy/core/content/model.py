"""The curriculum as the app sees it: immutable, parsed and rendered once at load.

Every ``*_html`` field has already been rendered from Markdown *and* sanitised, so
templates may mark it safe. Nothing here is stored in the database; the database
refers to modules, lessons, questions and options by their slugs and ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from academy.core.content.question_types import QuestionType, question_type
from academy.core.markdown import html_to_text

Severity = Literal["error", "warning"]
# The language of a module's files unless module.md says otherwise (``language:``).
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, reported as ``path:line: message``."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}: {prefix}{self.message}"


@dataclass(frozen=True)
class Translation:
    """What a translated file says about itself (academy.core.content.translations).

    The source files have none. ``stale``: the source file has changed since the
    translation was made (its hash is not the ``source_sha256`` the translation records),
    so a newer version in the source language exists."""

    path: str
    source_sha256: str
    reviewed: bool  # checked by a person fluent in both languages
    stale: bool
    source_language: str = DEFAULT_LANGUAGE  # the language it was translated from


@dataclass(frozen=True)
class Option:
    id: str  # stable within its question: "1", "2", ... in source order
    html: str  # inline HTML of the option text
    correct: bool
    feedback_html: str = ""  # inline HTML, shown next to the option after an attempt

    @property
    def text(self) -> str:
        """The option as plain text (for a <select>, and to compare lengths)."""
        return html_to_text(self.html)


@dataclass(frozen=True)
class Question:
    id: str  # explicit {#q-id} or derived from the heading text
    kind: str  # the name of its type in academy.core.content.question_types
    text: str  # the heading as plain text (for CSV, logs of authors, alt text)
    prompt_html: str  # the heading rendered inline
    body_html: str  # paragraphs between heading and options (a scenario), may be ""
    options: tuple[Option, ...]
    explanation_html: str
    line: int
    group: str | None = None  # the objective it tests: an attempt draws from every group
    reread: str | None = None  # slug of the module's lesson to reread when it went wrong
    fixed_order: bool = False  # options always in the order written (e.g. True/False)

    @property
    def type(self) -> QuestionType:
        """How this question is parsed, shown, checked and graded."""
        return question_type(self.kind)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)


# When the result page shows the right answers (the "key"), the quiz's ``review:``.
REVIEW_AFTER_SUCCESS = "after-pass"  # once the trainee has passed this version (the default)
REVIEW_ALWAYS = "always"  # after every attempt, e.g. for a practice quiz
REVIEW_NEVER = "never"  # never: verdicts, safe feedback and what to reread only
REVIEW_POLICIES = (REVIEW_AFTER_SUCCESS, REVIEW_ALWAYS, REVIEW_NEVER)
DEFAULT_FAILS_BEFORE_WAIT = 3
DEFAULT_WAIT_HOURS = 24


@dataclass(frozen=True)
class Quiz:
    path: str
    pass_mark: int  # percent, 1..100
    draw: int | None  # questions drawn per attempt; None means all
    questions: tuple[Question, ...]
    review: str = REVIEW_AFTER_SUCCESS  # one of REVIEW_POLICIES
    # Pacing: after this many failed attempts in a row, the next one opens wait_hours
    # after the last failed one (0 hours: no pacing).
    fails_before_wait: int = DEFAULT_FAILS_BEFORE_WAIT
    wait_hours: int = DEFAULT_WAIT_HOURS
    language: str = DEFAULT_LANGUAGE  # of its questions, options and feedback
    translation: Translation | None = None  # None: the source quiz.md

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Lesson:
    slug: str  # file name without numeric prefix and .md: "01-what-is-trauma" -> "what-is-trauma"
    number: int  # the numeric prefix
    title: str  # the first "# " heading, as plain text
    html: str  # the whole lesson, its "# " title included as <h1>
    words: int
    minutes: int  # reading time, at least 1
    path: str
    # The centre facts its placeholders name ([[centre:name]], academy.core.content.facts),
    # filled in for each reader; empty for most lessons, which then cost nothing extra.
    facts: tuple[str, ...] = ()
    language: str = DEFAULT_LANGUAGE  # of its text
    translation: Translation | None = None  # None: the source NN-slug.md


@dataclass(frozen=True)
class Module:
    slug: str  # the folder name
    title: str
    summary: str
    minutes: int
    objectives: tuple[str, ...]
    version: str
    prerequisites: tuple[str, ...]
    content_warning: str | None
    valid_months: int  # how long a certificate for this module stays valid
    intro_html: str
    lessons: tuple[Lesson, ...]
    quiz: Quiz | None
    path: str  # the module folder
    # Certificates for earlier versions count as expired once this version is loaded.
    recertify: bool = False
    # The language of the title, summary, objectives and introduction shown; the source
    # module's is the one its files are written in.
    language: str = DEFAULT_LANGUAGE
    translation: Translation | None = None  # None: the texts of the source module.md
    # The module in each language that has at least one translated file: the same
    # module (slugs, ids, version, settings) with each translated file's texts in place
    # of the source's, and the source's where a file is not translated. Only the source
    # module has translations; they are chosen per request by looking up the language.
    translations: Mapping[str, Module] = field(default_factory=dict, compare=False)

    def lesson(self, lesson_slug: str) -> Lesson | None:
        return next((le for le in self.lessons if le.slug == lesson_slug), None)

    def in_language(self, language: str) -> Module:
        """The module as a reader of ``language`` sees it: translated file by file,
        the source wherever there is no translation (or the language is the source's)."""
        return self.translations.get(language, self)


@dataclass(frozen=True)
class Criterion:
    """One thing a trainer observes in a practice scenario. The id keeps results when
    the wording changes."""

    id: str
    text: str


@dataclass(frozen=True)
class Scenario:
    """A practice scenario (a role-play) with its observation checklist. It is complete
    after ``sessions`` observed sessions in each of which every criterion was met."""

    id: str
    title: str
    sessions: int
    criteria: tuple[Criterion, ...]
    setup: str = ""  # what the trainer sets up or plays; shown to trainers only

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)


@dataclass(frozen=True)
class CertificatePath:
    """A group of modules (and observed practice) that leads to one certificate."""

    slug: str
    title: str
    modules: tuple[str, ...]
    valid_months: int
    practice: tuple[Scenario, ...] = ()

    def scenario(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.practice if s.id == scenario_id), None)


@dataclass
class Catalogue:
    """All content loaded from one content directory. Broken modules are left out of
    ``modules`` and reported in ``problems``; the rest stay usable."""

    modules: dict[str, Module] = field(default_factory=dict)  # in display order
    paths: dict[str, CertificatePath] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]
