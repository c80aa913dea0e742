"""Load modules from a content folder into a :class:`Catalogue`.

Every file is read once and rendered once, here; a broken module becomes problems and
is left out, the others load. See docs/authoring.md for the format.
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from academy.core.content import curricula, facts, frontmatter, plain_language, translations
from academy.core.content.files import DEFAULT_MAX_BYTES, SYMLINK_MESSAGE, read_text
from academy.core.content.frontmatter import SLUG
from academy.core.content.lessons import parse_lesson
from academy.core.content.model import DEFAULT_LANGUAGE, Catalogue, Lesson, Module, Problem, Quiz
from academy.core.content.quiz import parse_quiz
from academy.core.markdown import render_markdown

MODULE_FILE = "module.md"
QUIZ_FILE = "quiz.md"
MODULE_KEYS = {
    "title",
    "summary",
    "minutes",
    "objectives",
    "version",
    "prerequisites",
    "content_warning",
    "valid_months",
    "recertify",
    "language",
}
DEFAULT_VALID_MONTHS = 24
_LESSON_FILE = re.compile(r"(\d+)-(.+)\.md")


@dataclass
class ModuleResult:
    """A module as loaded from its folder, before prerequisites are resolved."""

    slug: str
    module: Module | None  # None if the folder has errors
    problems: list[Problem]
    prerequisites: tuple[str, ...] = ()
    prerequisites_line: int = 1
    module_md: str = ""


@dataclass
class _Lessons:
    lessons: list[Lesson] = field(default_factory=list)
    numbers: dict[int, str] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)


ModuleLoader = Callable[[Path], ModuleResult]


def is_content_folder(path: Path) -> bool:
    return path.is_dir() and not path.name.startswith((".", "_"))


def load_catalogue(
    content_dir: Path, load: ModuleLoader | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Catalogue:
    """Load, validate and render every module and certificate path in ``content_dir``.

    ``load`` loads one module folder (default: :func:`load_module`); the app passes one
    that leaves out plain-language hints and reuses modules from its cache. No file
    larger than ``max_bytes`` is read.
    """
    if load is None:
        load = functools.partial(load_module, max_bytes=max_bytes)
    content_dir = Path(content_dir)
    catalogue = Catalogue()
    if not content_dir.is_dir():
        catalogue.problems.append(Problem(str(content_dir), 1, "content folder not found"))
        return catalogue
    results = {
        folder.name: linked_folder(folder) if folder.is_symlink() else load(folder)
        for folder in sorted(content_dir.iterdir())
        if is_content_folder(folder)
    }
    problems = [p for result in results.values() for p in result.problems]
    problems += resolve_prerequisites(results)
    loaded = {slug: r.module for slug, r in results.items() if r.module is not None}
    catalogue.modules = {slug: loaded[slug] for slug in _display_order(loaded)}
    paths, path_problems = curricula.load(
        content_dir / curricula.CURRICULA_FILE, set(results), set(catalogue.modules), max_bytes
    )
    catalogue.paths = paths
    catalogue.problems = sorted(problems + path_problems, key=lambda p: (p.path, p.line))
    return catalogue


def linked_folder(folder: Path) -> ModuleResult:
    """A module folder that is a symbolic link: refused, nothing in it is read."""
    problem = Problem(str(folder), 1, f"the module folder {folder.name} {SYMLINK_MESSAGE}")
    return ModuleResult(folder.name, None, [problem], module_md=str(folder / MODULE_FILE))


def load_module(
    folder: Path, *, hints: bool = True, max_bytes: int = DEFAULT_MAX_BYTES
) -> ModuleResult:
    """Load one module folder on its own; prerequisites are not resolved here.

    ``hints`` adds the plain-language warnings, which are for authors (``academy content
    check``); they cost a sixth of the loading time and nothing served depends on them.
    No file larger than ``max_bytes`` is read, and no symbolic link is followed.
    """
    if folder.is_symlink():
        return linked_folder(folder)
    problems: list[Problem] = []
    module_md = folder / MODULE_FILE
    result = ModuleResult(folder.name, None, problems, module_md=str(module_md))
    if not SLUG.fullmatch(folder.name):
        message = f"folder name '{folder.name}' is not a valid slug (a-z, 0-9 and -)"
        problems.append(Problem(str(folder), 1, message))
    lessons = _Lessons()
    has_quiz = False
    translated: dict[str, list[Path]] = {}  # language -> its files, read once the source is
    for file in sorted(folder.iterdir()):
        name = file.name
        # A link to a folder is not a file; a link to a file is refused when it is read.
        if name.startswith((".", "_")) or not file.is_file() or name == MODULE_FILE:
            continue
        if (translation := translations.translation_of(name)) is not None:
            translated.setdefault(translation[1], []).append(file)
        elif name == QUIZ_FILE:
            has_quiz = True
        elif match := _LESSON_FILE.fullmatch(name):
            number, slug = int(match.group(1)), match.group(2)
            _add_lesson(file, number, slug, lessons, problems, hints, max_bytes)
        elif name.endswith(".md"):
            message = "ignored: lesson files are named NN-name.md, e.g. 01-introduction.md"
            problems.append(Problem(str(file), 1, message, "warning"))
    text = read_text(module_md, problems, max_bytes)
    fields = _module_fields(str(module_md), text, problems, hints) if text is not None else None
    # Counted by file: a lesson that failed to parse has its own error already.
    if fields is not None and not lessons.numbers:
        problems.append(Problem(str(module_md), 1, "the module has no lessons (NN-name.md)"))
    quiz = _load_quiz(folder / QUIZ_FILE, problems, max_bytes, hints) if has_quiz else None
    if quiz is not None:
        _check_rereads(quiz, {lesson.slug for lesson in lessons.lessons}, problems)
    if fields is None:
        return result
    result.prerequisites = fields.pop("prerequisites", ())
    result.prerequisites_line = fields.pop("prerequisites_line")
    if not any(p.severity == "error" for p in problems):
        module = Module(
            slug=folder.name,
            prerequisites=result.prerequisites,
            lessons=tuple(sorted(lessons.lessons, key=lambda le: le.number)),
            quiz=quiz,
            path=str(folder),
            **fields,
        )
        # A translation with errors is reported and left out; the module stays.
        result.module = dataclasses.replace(
            module,
            translations=translations.translate(
                module, translated, problems, hints=hints, max_bytes=max_bytes
            ),
        )
    return result


def _check_rereads(quiz: Quiz, lesson_slugs: set[str], problems: list[Problem]) -> None:
    for question in quiz.questions:
        if question.reread is not None and question.reread not in lesson_slugs:
            listed = ", ".join(sorted(lesson_slugs))
            message = f"'reread={question.reread}' is not a lesson of this module ({listed})"
            problems.append(Problem(quiz.path, question.line, message))


def _load_quiz(path: Path, problems: list[Problem], max_bytes: int, hints: bool) -> Quiz | None:
    text = read_text(path, problems, max_bytes)
    if text is None:
        return None
    quiz, quiz_problems = parse_quiz(str(path), text, hints=hints)
    problems += quiz_problems + facts.check_elsewhere(str(path), text)
    return quiz


def _module_fields(path: str, text: str, problems: list[Problem], hints: bool) -> dict:
    """Module constructor arguments from module.md (None where a value is invalid)."""
    fm = frontmatter.split(path, text, problems)
    problems += facts.check_elsewhere(path, text)
    if hints:
        problems += plain_language.check(path, fm.body, fm.body_line)
    values: dict = {
        "intro_html": render_markdown(fm.body),
        "prerequisites_line": fm.line_of("prerequisites"),
    }
    if not fm.present:
        problems.append(Problem(path, 1, "module.md must start with front matter between '---'"))
    if not fm.valid:
        return values
    f = frontmatter.Fields(fm, problems)
    f.unknown_keys(MODULE_KEYS)
    values |= {
        "title": f.text("title", required=True),
        "summary": f.text("summary", required=True),
        "minutes": f.integer("minutes", 1, 600),
        "objectives": f.text_list("objectives", low=1, high=10, required=True, pattern=None),
        "version": f.scalar_as_text("version"),
        "prerequisites": f.text_list(
            "prerequisites", low=0, high=100, required=False, pattern=SLUG
        ),
        "content_warning": f.text("content_warning", required=False),
        "valid_months": f.integer("valid_months", 1, 120, default=DEFAULT_VALID_MONTHS),
        "recertify": f.boolean("recertify", default=False),
        "language": _language(f),
    }
    if values["prerequisites"] is None:
        values["prerequisites"] = ()
    return values


def _language(fields: frontmatter.Fields) -> str | None:
    """The module's source language (``language: de``), English if not given."""
    language = fields.fm.data.get("language")
    if language is None:
        return DEFAULT_LANGUAGE
    if not isinstance(language, str) or not translations.LANGUAGE.fullmatch(language):
        fields.error("language", "'language' must be a two-letter code in small letters, e.g. de")
        return None
    return language


def _add_lesson(
    file: Path,
    number: int,
    slug: str,
    lessons: _Lessons,
    problems: list[Problem],
    hints: bool,
    max_bytes: int,
) -> None:
    path = str(file)
    if not SLUG.fullmatch(slug):
        message = f"lesson slug '{slug}' must use only a-z, 0-9 and - (it is part of the URL)"
        problems.append(Problem(path, 1, message))
    if number in lessons.numbers:
        message = f"lesson number {number} is also used by {lessons.numbers[number]}"
        problems.append(Problem(path, 1, message))
    if slug in lessons.slugs:
        message = f"lesson slug '{slug}' is also used by {lessons.slugs[slug]}"
        problems.append(Problem(path, 1, message))
    lessons.numbers.setdefault(number, file.name)
    lessons.slugs.setdefault(slug, file.name)
    text = read_text(file, problems, max_bytes)
    if text is None:
        return
    lesson = parse_lesson(path, number, slug, text, problems, hints)
    if lesson is not None:
        lessons.lessons.append(lesson)


def resolve_prerequisites(
    results: dict[str, ModuleResult], known: set[str] | None = None
) -> list[Problem]:
    """Problems with prerequisites; modules with one lose their ``module``.

    ``known`` are the slugs that exist (default: the keys of ``results``). A module whose
    prerequisite is broken is left out too: nobody could ever complete it.
    """
    known = set(results) if known is None else known
    problems: list[Problem] = []

    def fail(result: ModuleResult, message: str) -> None:
        problems.append(Problem(result.module_md, result.prerequisites_line, message))
        result.module = None

    for result in results.values():
        for slug in result.prerequisites:
            if slug not in known:
                fail(result, f"prerequisite '{slug}' is not a module")
        cycle = _cycle_through(result.slug, results)
        if cycle:
            fail(result, "prerequisite cycle: " + " -> ".join(cycle))
    changed = True
    while changed:
        changed = False
        for result in results.values():
            broken = [s for s in result.prerequisites if s in results and results[s].module is None]
            if result.module is not None and broken:
                fail(result, f"prerequisite '{broken[0]}' has errors, so this module is left out")
                changed = True
    return problems


def _cycle_through(start: str, results: dict[str, ModuleResult]) -> list[str] | None:
    """The shortest prerequisite chain from ``start`` back to itself, if there is one."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        slug = queue.popleft()
        for prerequisite in results[slug].prerequisites:
            if prerequisite == start:
                chain = [slug]
                while chain[-1] != start:
                    chain.append(came_from[chain[-1]])
                return [*reversed(chain), start]
            if prerequisite not in came_from and prerequisite in results:
                came_from[prerequisite] = slug
                queue.append(prerequisite)
    return None


def _display_order(modules: dict[str, Module]) -> list[str]:
    """Slugs of ``modules``, each after its prerequisites; ties broken by slug."""
    waiting = {slug: set(m.prerequisites) & modules.keys() for slug, m in modules.items()}
    ready = [slug for slug, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    order = []
    while ready:
        slug = heapq.heappop(ready)
        order.append(slug)
        for other, needs in waiting.items():
            if slug in needs:
                needs.discard(slug)
                if not needs:
                    heapq.heappush(ready, other)
    return order


def check_content(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Problem]:
    """Problems in a content folder, or in one module folder (or a file in one).

    A single module's prerequisites are checked against the names of its sibling
    folders; cycles and broken prerequisites only show when the whole folder is checked.
    """
    return inspect_content(path, max_bytes)[0]


def inspect_content(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[Problem], list[Module]]:
    """What :func:`check_content` finds, and the modules that loaded (for the summary
    of translations that ``academy content check`` prints)."""
    path = Path(path)
    if not path.exists():
        return [Problem(str(path), 1, "no such file or folder")], []
    if path.is_file():
        path = path.parent
    if not _is_module_folder(path):
        catalogue = load_catalogue(path, max_bytes=max_bytes)
        return catalogue.problems, list(catalogue.modules.values())
    result = load_module(path, max_bytes=max_bytes)
    siblings = {folder.name for folder in path.parent.iterdir() if is_content_folder(folder)}
    problems = result.problems + resolve_prerequisites({result.slug: result}, siblings)
    modules = [] if result.module is None else [result.module]
    return sorted(problems, key=lambda p: (p.path, p.line)), modules


def _is_module_folder(path: Path) -> bool:
    return any(
        file.name in (MODULE_FILE, QUIZ_FILE) or _LESSON_FILE.fullmatch(file.name)
        for file in path.iterdir()
    )
