"""One lesson file, source or translation, parsed and rendered (docs/authoring.md)."""

from __future__ import annotations

import re

from academy.core.content import facts, plain_language
from academy.core.content.model import Lesson, Problem
from academy.core.markdown import html_to_text, render_inline, render_markdown

# Reading in a second language is slower than the usual 200-250 words per minute.
WORDS_PER_MINUTE = 150

_TITLE = re.compile(r"^#(?!#)\s*(.*?)\s*#*\s*$")


def parse_lesson(
    path: str, number: int, slug: str, text: str, problems: list[Problem], hints: bool
) -> Lesson | None:
    """The lesson, or None (and a problem) if it does not start with a ``# `` title.

    ``hints`` adds the plain-language warnings for authors. Line numbers in problems
    count from the start of ``text``.
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    title_match = _TITLE.match(lines[first]) if first is not None else None
    if first is None or not title_match or not title_match.group(1):
        line = 1 if first is None else first + 1
        problems.append(Problem(path, line, "a lesson must start with a '# ' title"))
        return None
    if hints:
        problems += plain_language.check(path, text)
    words = plain_language.count_words(text)
    html = render_markdown(text)
    named_facts, fact_problems = facts.check_lesson(path, text, html)
    problems += fact_problems
    return Lesson(
        slug=slug,
        number=number,
        title=html_to_text(render_inline(title_match.group(1))),
        html=html,
        words=words,
        minutes=max(1, round(words / WORDS_PER_MINUTE)),
        path=path,
        facts=named_facts,
    )
