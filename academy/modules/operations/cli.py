"""``academy backup PATH``, ``academy restore PATH`` and ``academy serve``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from academy.core.config import PROJECT_ROOT

GUNICORN_CONFIG = PROJECT_ROOT / "gunicorn.conf.py"
# gunicorn calls the factory once, in the master process (--preload), before forking.
WSGI_APP = "academy:create_app()"


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    raise AssertionError("unreachable")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent backup of the database to PATH (safe while the app runs)."""
    from academy.modules.operations import services

    try:
        result = services.backup(path)
    except services.OperationsError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Backed up {services.describe_database()} ({result.backend}) to {result.path}: "
        f"{_size(result.size)} in {result.seconds:.1f} s."
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database with the backup at PATH. Stop the app servers first."""
    from academy.modules.operations import services

    target = services.describe_database()
    if not yes:
        click.confirm(
            f"This replaces everything in {target} with the backup {path}. Continue?",
            abort=True,
        )
    try:
        services.restore(path)
    except services.OperationsError as error:
        raise click.ClickException(str(error)) from error
    counts = services.row_counts()
    click.echo(
        f"Restored {path} into {target}: {sum(counts.values())} rows in {len(counts)} tables."
    )
    click.echo("Run 'academy db upgrade' if the backup is older than this version of the app.")


@click.command("serve", context_settings={"ignore_unknown_options": True})
@click.option("--bind", help="Address to listen on (default: ACADEMY_BIND or 127.0.0.1:8000).")
@click.option("--workers", type=int, help="Worker processes (default: one per core).")
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve_command(bind: str | None, workers: int | None, gunicorn_args: tuple[str, ...]) -> None:
    """Serve the app with gunicorn and the production settings in gunicorn.conf.py.

    Further arguments go to gunicorn unchanged.
    """
    arguments = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG)]
    if bind:
        arguments += ["--bind", bind]
    if workers:
        arguments += ["--workers", str(workers)]
    arguments += [*gunicorn_args, WSGI_APP]
    # Replace this process: signals from a supervisor (systemd, a container) then reach
    # gunicorn's master directly.
    os.execv(sys.executable, arguments)  # noqa: S606 - our own interpreter, fixed arguments
