"""Plain-language hints: long sentences in the running text of a Markdown file.

Many trainees read in their second language, on a phone. The check reads the Markdown
source line by line (not the rendered HTML) so that each hint points at a source line.
Running text is paragraphs, list items, quotes and admonition bodies; headings,
tables, code and link or abbreviation definitions are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from academy.core.content.model import Problem

MAX_SENTENCE_WORDS = 30
MAX_AVERAGE_WORDS = 18

ABBREVIATIONS = frozenset(
    "e.g. i.e. etc. dr. mr. mrs. ms. prof. vs. approx. no. nr. ca. cf. fig. st. "
    "z.b. bzw. usw. d.h. u.a. ggf. vgl. evtl. inkl. sog.".split()
)

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#")
_SETEXT_OR_RULE = re.compile(r"^\s{0,3}(=+|-{3,}|\*{3,}|_{3,})\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_DEFINITION = re.compile(r"^\s{0,3}(\*?\[[^\]]+\]:|\[TOC\]\s*$|\{:.*\}\s*$)")
_ADMONITION = re.compile(r"^!!!\s")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ATTR_LIST = re.compile(r"\{:[^}]*\}")
_WORD = re.compile(r"\w")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’»)\]*_]*$")


@dataclass
class _Unit:
    """One paragraph or list item: consecutive source lines that read as one text."""

    lines: list[tuple[int, str]]


def check(path: str, text: str, first_line: int = 1) -> list[Problem]:
    """Warnings for ``text`` whose first line is line ``first_line`` of ``path``."""
    sentences = [s for unit in _units(text, first_line) for s in _sentences(unit)]
    problems = [
        Problem(
            path,
            line,
            f"sentence of {words} words; aim for {MAX_SENTENCE_WORDS} or fewer",
            "warning",
        )
        for line, words in sentences
        if words > MAX_SENTENCE_WORDS
    ]
    if sentences:
        average = sum(words for _, words in sentences) / len(sentences)
        if average > MAX_AVERAGE_WORDS:
            message = (
                f"average sentence is {average:.1f} words long; "
                f"aim for {MAX_AVERAGE_WORDS} or fewer"
            )
            problems.insert(0, Problem(path, 1, message, "warning"))
    return problems


def count_words(text: str) -> int:
    """Words in Markdown source: tokens with at least one letter or digit, not counting
    link targets and images, which nobody reads."""
    return sum(1 for token in _clean(text).split() if _WORD.search(token))


def _units(text: str, first_line: int) -> Iterator[_Unit]:
    block: list[tuple[int, str]] = []
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=first_line):
        if _FENCE.match(line):
            in_fence = not in_fence
            yield from _block_units(block)
            block = []
        elif in_fence:
            continue
        elif line.strip():
            block.append((number, line))
        else:
            yield from _block_units(block)
            block = []
    if not in_fence:
        yield from _block_units(block)


def _block_units(block: list[tuple[int, str]]) -> Iterator[_Unit]:
    """Split a block of non-blank lines into paragraphs and list items."""
    if not block or any(_TABLE_SEPARATOR.match(line) and "|" in line for _, line in block):
        return
    # Indented code blocks are not told apart from admonition bodies (also indented) and
    # are read as text; fenced code, the documented way, is skipped.
    unit: _Unit | None = None
    for number, line in block:
        if any(p.match(line) for p in (_HEADING, _SETEXT_OR_RULE, _DEFINITION, _ADMONITION)):
            if unit:
                yield unit
            unit = None
            continue
        item = _LIST_ITEM.match(_QUOTE.sub("", line))
        if item:
            if unit:
                yield unit
            unit = _Unit([(number, item.group(3))])
        elif unit:
            unit.lines.append((number, line))
        else:
            unit = _Unit([(number, line)])
    if unit:
        yield unit


def _clean(line: str) -> str:
    line = _QUOTE.sub("", line)
    line = _IMAGE.sub(" ", line)
    line = _LINK.sub(r"\1", line)
    return _ATTR_LIST.sub(" ", line)


def _sentences(unit: _Unit) -> Iterator[tuple[int, int]]:
    """(line where it starts, word count) for every sentence in the unit."""
    start: int | None = None
    words = 0
    for number, line in unit.lines:
        for token in _clean(line).split():
            if not _WORD.search(token):
                continue
            if start is None:
                start = number
            words += 1
            if _ends_sentence(token):
                yield start, words
                start, words = None, 0
    # A list item or paragraph without a final full stop still counts as one sentence.
    if start is not None:
        yield start, words


def _ends_sentence(token: str) -> bool:
    if not _SENTENCE_END.search(token):
        return False
    bare = token.lower().rstrip("\"'”’»)]*_")
    return bare.lstrip("(\"'„“‘«*_") not in ABBREVIATIONS
