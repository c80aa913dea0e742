"""Per-module figures for ``academy content stats``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from academy.core.content.model import Catalogue, Module


def content_stats(catalogue: Catalogue) -> list[dict]:
    """One row per loaded module, in display order: module, lessons, words, minutes
    (reading time of the lessons), questions and plain-language warnings."""
    warnings = Counter(Path(p.path).parent for p in catalogue.warnings)
    return [
        {
            "module": module.slug,
            "lessons": len(module.lessons),
            "words": sum(lesson.words for lesson in module.lessons),
            "minutes": sum(lesson.minutes for lesson in module.lessons),
            "questions": len(module.quiz.questions) if module.quiz else 0,
            "warnings": warnings[Path(module.path)],
        }
        for module in catalogue.modules.values()
    ]


def translation_stats(modules: Iterable[Module]) -> list[dict]:
    """One row per module and language it is translated into, in display order, then
    by language: its files (module.md, the lessons, quiz.md), how many of them have a
    translation in use (one with errors is not), and of those how many are stale and
    how many no person has checked yet."""
    rows = []
    for module in modules:
        files = [module, *module.lessons] + ([module.quiz] if module.quiz else [])
        for language, translated in sorted(module.translations.items()):
            shown = [translated.translation] + [lesson.translation for lesson in translated.lessons]
            shown += [translated.quiz.translation] if translated.quiz else []
            done = [t for t in shown if t is not None]
            rows.append(
                {
                    "module": module.slug,
                    "language": language,
                    "translated": len(done),
                    "files": len(files),
                    "stale": sum(t.stale for t in done),
                    "unreviewed": sum(not t.reviewed for t in done),
                }
            )
    return rows
