"""Content problems for admins and trainers: what ``academy content check`` says about
the content folder, so a module that dropped out of the catalogue does not go unnoticed.
At start-up its errors only reach the log; this page shows them to the people who can
get the files fixed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from flask import current_app

from academy.core.catalogue import current_catalogue
from academy.core.content.loader import check_content
from academy.core.content.model import Problem


@dataclass(frozen=True)
class ContentReport:
    errors: list[Problem]  # each left a module (or a certificate path) out
    warnings: list[Problem]  # for authors: the module is served
    errors_at_start: int  # in the catalogue this server loaded at start-up


def _relative(problem: Problem, content_dir: Path) -> Problem:
    """The path inside the content folder: where it lies on the server is nobody's
    business on a page."""
    try:
        path = Path(problem.path).relative_to(content_dir)
    except ValueError:
        path = Path(Path(problem.path).name)
    return replace(problem, path=path.as_posix())


def content_report() -> ContentReport:
    """Check the content folder now, as ``academy content check`` does (errors, then
    warnings, each by file and line)."""
    content_dir = Path(current_app.config["ACADEMY_CONTENT_DIR"])
    problems = [
        _relative(problem, content_dir)
        for problem in check_content(content_dir, current_app.config["ACADEMY_CONTENT_MAX_BYTES"])
    ]
    problems.sort(key=lambda p: (p.path, p.line))
    return ContentReport(
        errors=[p for p in problems if p.severity == "error"],
        warnings=[p for p in problems if p.severity == "warning"],
        errors_at_start=len(current_catalogue().errors),
    )
