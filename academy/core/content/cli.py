"""``academy content check`` and ``academy content stats``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from academy.core.content.loader import check_content, load_catalogue
from academy.core.content.model import Problem
from academy.core.content.stats import content_stats

content_cli = AppGroup("content", help="Check and describe the course content.")

_STATS_COLUMNS = ("module", "lessons", "words", "minutes", "questions", "warnings")
_PATH = click.Path(path_type=Path)


def _content_dir(path: Path | None) -> Path:
    return path if path is not None else Path(current_app.config["ACADEMY_CONTENT_DIR"])


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@content_cli.command("check")
@click.argument("path", required=False, type=_PATH)
def check_command(path: Path | None) -> None:
    """Check PATH (the content folder, a module folder; default: the app's content)."""
    problems = check_content(_content_dir(path), current_app.config["ACADEMY_CONTENT_MAX_BYTES"])
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for problem in _by_place(errors) + _by_place(warnings):
        click.echo(str(problem))
    click.echo(f"{_plural(len(errors), 'error')}, {_plural(len(warnings), 'warning')}")
    if errors:
        click.get_current_context().exit(1)


def _by_place(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line))


@content_cli.command("stats")
@click.argument("path", required=False, type=_PATH)
def stats_command(path: Path | None) -> None:
    """Lessons, words, reading minutes, questions and warnings per module."""
    catalogue = load_catalogue(
        _content_dir(path), max_bytes=current_app.config["ACADEMY_CONTENT_MAX_BYTES"]
    )
    rows = content_stats(catalogue)
    total = {"module": "total"} | {
        column: sum(row[column] for row in rows) for column in _STATS_COLUMNS[1:]
    }
    table = [list(_STATS_COLUMNS)] + [[str(row[c]) for c in _STATS_COLUMNS] for row in rows]
    table.append([str(total[c]) for c in _STATS_COLUMNS])
    widths = [max(len(line[i]) for line in table) for i in range(len(_STATS_COLUMNS))]
    for line in table:
        # Module names left-aligned, numbers right-aligned.
        cells = [line[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)
        ]
        click.echo("  ".join(cells).rstrip())
    if catalogue.errors:
        click.echo(
            f"{_plural(len(catalogue.errors), 'error')}: modules with errors are left out; "
            "run `academy content check` for details"
        )
