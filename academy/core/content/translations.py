"""Translations beside the source files of a module (docs/authoring.md, "Translations").

``module.de.md``, ``01-slug.de.md`` and ``quiz.de.md`` translate ``module.md``,
``01-slug.md`` and ``quiz.md`` into German. Each starts with front matter recording the
SHA-256 of the source file it was made from (``source_sha256``) and whether a person
has checked it (``reviewed``). A hash rather than a Git commit (MDN's ``sourceCommit``):
the server needs no Git, and any change of the source shows, however it got there.

A module is translated file by file: each language gets the whole module with every
translated file's texts in place of the source's and the source's where a file is not
translated (or its translation has errors: those fail ``academy content check`` but
never take the module off the site). Everything besides the texts comes from the
source: slugs, question and option ids, right answers, version and settings. So
grading, attempts, item analysis and certificates are the same in every language, and
the content check refuses a quiz translation whose questions or answers differ.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from academy.core.content import facts, frontmatter, plain_language
from academy.core.content.files import DEFAULT_MAX_BYTES, read_text, sha256_of
from academy.core.content.lessons import parse_lesson
from academy.core.content.model import Lesson, Module, Problem
from academy.core.content.quiz_translations import translate_quiz
from academy.core.content.translation_header import TRANSLATION_KEYS, read_header
from academy.core.markdown import render_markdown

# A lowercase two-letter language code (ISO 639-1): de, ar, uk, ro.
LANGUAGE = re.compile(r"[a-z]{2}")
_TRANSLATION_FILE = re.compile(r"(.+)\.([a-z]{2})\.md")
MODULE_TRANSLATION_KEYS = (
    *TRANSLATION_KEYS,
    "title",
    "summary",
    "objectives",
    "content_warning",
)


def translation_of(name: str) -> tuple[str, str] | None:
    """(source file name, language) if ``name`` names a translation, else None."""
    match = _TRANSLATION_FILE.fullmatch(name)
    return None if match is None else (f"{match.group(1)}.md", match.group(2))


def source_file(translation: Path) -> Path | None:
    """The source file a translation's name points to (which may not exist)."""
    names = translation_of(translation.name)
    return None if names is None else translation.with_name(names[0])


def translate(
    source: Module,
    files: Mapping[str, Sequence[Path]],
    problems: list[Problem],
    *,
    hints: bool,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> dict[str, Module]:
    """The module in each language of ``files`` (language -> translation files) that has
    at least one usable translated file; problems are appended."""
    modules = {}
    for language in sorted(files):
        if language == source.language:
            for file in files[language]:
                message = (
                    f"'{language}' is the module's source language ({source.language}): "
                    f"change {file.with_name(translation_of(file.name)[0]).name} itself"
                )
                problems.append(Problem(str(file), 1, message))
            continue
        translated = _FileTranslator(source, language, problems, hints, max_bytes)
        for file in sorted(files[language]):
            translated.add(file)
        if translated.changes or translated.lessons:
            modules[language] = translated.module()
    return modules


class _FileTranslator:
    """The translated files of one module in one language, read one by one."""

    def __init__(
        self,
        source: Module,
        language: str,
        problems: list[Problem],
        hints: bool,
        max_bytes: int,
    ) -> None:
        self.source = source
        self.language = language
        self.problems = problems
        self.hints = hints
        self.max_bytes = max_bytes
        self.changes: dict = {}  # Module fields the module.md and quiz.md translations replace
        self.lessons: dict[str, Lesson] = {}  # translated lessons by slug
        self._lessons_by_file = {Path(le.path).name: le for le in source.lessons}

    def add(self, file: Path) -> None:
        source_name = translation_of(file.name)[0]
        source_path = file.with_name(source_name)
        path = str(file)
        lesson = self._lessons_by_file.get(source_name)
        if source_name == "quiz.md" and self.source.quiz is None:
            self.problems.append(Problem(path, 1, "there is no quiz.md to translate"))
            return
        if source_name not in ("module.md", "quiz.md") and lesson is None:
            message = f"{source_name} is not a lesson of this module: nothing to translate"
            self.problems.append(Problem(path, 1, message))
            return
        text = read_text(file, self.problems, self.max_bytes)
        if text is None:
            return
        digest = sha256_of(source_path, self.max_bytes)
        own: list[Problem] = []
        if source_name == "module.md":
            fields = _module_texts(path, text, self.source, digest, own, self.hints)
            if fields is not None and _usable(own):
                self.changes |= fields | {"language": self.language}
        elif source_name == "quiz.md":
            quiz = translate_quiz(
                path, text, self.source.quiz, self.source.language, self.language, digest, own
            )
            if quiz is not None and _usable(own):
                self.changes["quiz"] = quiz
        else:
            translated = _lesson(
                path, text, lesson, self.source.language, self.language, digest, own, self.hints
            )
            if translated is not None and _usable(own):
                self.lessons[lesson.slug] = translated
        self.problems += own

    def module(self) -> Module:
        """The source module with every usable translated file's texts in place."""
        lessons = tuple(self.lessons.get(le.slug, le) for le in self.source.lessons)
        return dataclasses.replace(self.source, lessons=lessons, translations={}, **self.changes)


def _usable(problems: list[Problem]) -> bool:
    return not any(p.severity == "error" for p in problems)


def _module_texts(
    path: str,
    text: str,
    source: Module,
    digest: str | None,
    problems: list[Problem],
    hints: bool,
) -> dict | None:
    """The fields of ``source`` that module.<lang>.md replaces, or None."""
    fm = frontmatter.split(path, text, problems)
    problems += facts.check_elsewhere(path, text)
    translation = read_header(fm, problems, MODULE_TRANSLATION_KEYS, digest, source.language)
    if translation is None:
        return None
    fields = frontmatter.Fields(fm, problems)
    title = fields.text("title", required=True)
    summary = fields.text("summary", required=True)
    objectives = fields.text_list("objectives", low=1, high=10, required=True, pattern=None)
    if objectives is not None and len(objectives) != len(source.objectives):
        message = (
            f"{len(objectives)} objectives, but module.md has {len(source.objectives)}: "
            "translate each one, in the same order"
        )
        fields.error("objectives", message)
    warning = _content_warning(fields, source)
    if hints:
        problems += plain_language.check(path, fm.body, fm.body_line)
    if title is None or summary is None or objectives is None or warning is False:
        return None
    return {
        "title": title,
        "summary": summary,
        "objectives": objectives,
        "content_warning": warning,
        # Without a translated introduction, the source's stays.
        "intro_html": render_markdown(fm.body) if fm.body.strip() else source.intro_html,
        "translation": translation,
    }


def _content_warning(fields: frontmatter.Fields, source: Module) -> str | None | bool:
    """The translated warning: there exactly when module.md has one, so that a translation
    neither adds nor drops it (False if it does)."""
    warning = fields.text("content_warning", required=source.content_warning is not None)
    if source.content_warning is None and "content_warning" in fields.fm.data:
        fields.error(
            "content_warning",
            "module.md has no content_warning: a translation can only translate one",
        )
        return False
    if source.content_warning is not None and warning is None:
        return False  # reported: missing or empty
    return warning


def _lesson(
    path: str,
    text: str,
    source: Lesson,
    source_language: str,
    language: str,
    digest: str | None,
    problems: list[Problem],
    hints: bool,
) -> Lesson | None:
    fm = frontmatter.split(path, text, problems)
    translation = read_header(fm, problems, TRANSLATION_KEYS, digest, source_language)
    if translation is None:
        return None
    # Blank lines in place of the front matter: problems keep the file's line numbers.
    body = "\n" * (fm.body_line - 1) + fm.body
    lesson = parse_lesson(path, source.number, source.slug, body, problems, hints)
    if lesson is None:
        return None
    if lesson.facts != source.facts:
        message = (
            f"the translation names the centre facts ({', '.join(lesson.facts) or 'none'}), "
            f"the source ({', '.join(source.facts) or 'none'}): keep every [[centre:name]]"
        )
        problems.append(Problem(path, fm.body_line, message))
    return dataclasses.replace(lesson, language=language, translation=translation)
