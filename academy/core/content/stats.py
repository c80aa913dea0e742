"""Per-module figures for ``academy content stats``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from academy.core.content.model import Catalogue


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
