"""``academy content check`` and ``academy content stats``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from academy.core.content.files import sha256_of
from academy.core.content.loader import inspect_content, load_catalogue
from academy.core.content.model import Problem
from academy.core.content.stats import content_stats, translation_stats
from academy.core.content.translations import source_file

content_cli = AppGroup("content", help="Check and describe the course content.")

_STATS_COLUMNS = ("module", "lessons", "words", "minutes", "questions", "warnings")
_TRANSLATION_COLUMNS = ("module", "language", "translated", "stale", "unreviewed")
_PATH = click.Path(path_type=Path)


def _content_dir(path: Path | None) -> Path:
    return path if path is not None else Path(current_app.config["ACADEMY_CONTENT_DIR"])


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@content_cli.command("check")
@click.argument("path", required=False, type=_PATH)
@click.option(
    "--fail-on-stale",
    is_flag=True,
    help="A stale translation fails the check, as an error does (make test uses it).",
)
def check_command(path: Path | None, fail_on_stale: bool) -> None:
    """Check PATH (the content folder, a module folder; default: the app's content)."""
    problems, modules = inspect_content(
        _content_dir(path), current_app.config["ACADEMY_CONTENT_MAX_BYTES"]
    )
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for problem in _by_place(errors) + _by_place(warnings):
        click.echo(str(problem))
    rows = translation_stats(modules)
    for language in sorted({row["language"] for row in rows}):
        counted = [row for row in rows if row["language"] == language]
        click.echo(
            f"translations into {language}: "
            f"{sum(r['translated'] for r in counted)} of {sum(r['files'] for r in counted)} "
            f"files in {_plural(len(counted), 'module')}, "
            f"{sum(r['stale'] for r in counted)} stale, "
            f"{sum(r['unreviewed'] for r in counted)} not yet reviewed"
        )
    click.echo(f"{_plural(len(errors), 'error')}, {_plural(len(warnings), 'warning')}")
    stale = sum(row["stale"] for row in rows)
    if errors or (fail_on_stale and stale):
        click.get_current_context().exit(1)


def _by_place(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line))


@content_cli.command("stats")
@click.argument("path", required=False, type=_PATH)
def stats_command(path: Path | None) -> None:
    """Lessons, words, reading minutes, questions and warnings per module; then, per
    module and language, translated files, stale ones and ones not yet reviewed."""
    catalogue = load_catalogue(
        _content_dir(path), max_bytes=current_app.config["ACADEMY_CONTENT_MAX_BYTES"]
    )
    rows = content_stats(catalogue)
    total = {"module": "total"} | {
        column: sum(row[column] for row in rows) for column in _STATS_COLUMNS[1:]
    }
    _print_table(rows, _STATS_COLUMNS, total)
    translated = translation_stats(catalogue.modules.values())
    if translated:
        click.echo("")
        _print_table(
            [row | {"translated": f"{row['translated']}/{row['files']}"} for row in translated],
            _TRANSLATION_COLUMNS,
        )
    if catalogue.errors:
        click.echo(
            f"{_plural(len(catalogue.errors), 'error')}: modules with errors are left out; "
            "run `academy content check` for details"
        )


def _print_table(rows: list[dict], columns: tuple[str, ...], total: dict | None = None) -> None:
    table = [list(columns)] + [[str(row[c]) for c in columns] for row in rows]
    if total is not None:
        table.append([str(total[c]) for c in columns])
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    for line in table:
        # Names left-aligned, numbers right-aligned.
        cells = [line[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)
        ]
        click.echo("  ".join(cells).rstrip())


@content_cli.command("translation-hash")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
def translation_hash_command(file: Path) -> None:
    """The source_sha256 for FILE: of its source if FILE is a translation (01-x.de.md),
    else of FILE itself, as `sha256sum` prints it."""
    source = source_file(file) or file
    digest = sha256_of(source, current_app.config["ACADEMY_CONTENT_MAX_BYTES"])
    if digest is None:
        click.echo(f"{source}: cannot be read (missing, a link, or over the size limit)", err=True)
        click.get_current_context().exit(1)
    click.echo(digest)
