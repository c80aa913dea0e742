"""No source file over 400 lines: the code, tests, templates, style sheets and scripts the
project writes by hand. A longer file is split where its parts say different things."""

from __future__ import annotations

import os
from pathlib import Path

MAX_LINES = 400
CHECKOUT = Path(__file__).resolve().parents[1]
SOURCE_SUFFIXES = {".py", ".js", ".mjs", ".html", ".css", ".sh"}
# Not written by hand: the web fonts' rules (make fonts), other projects' code.
GENERATED = {"static/css/fonts.css"}
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "vendor", "__pycache__", "instance", "out"}


def source_files() -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(CHECKOUT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_FOLDERS]
        for name in files:
            path = Path(folder) / name
            if path.suffix in SOURCE_SUFFIXES and relative(path) not in GENERATED:
                found.append(path)
    return found


def relative(path: Path) -> str:
    return path.relative_to(CHECKOUT).as_posix()


def line_count(path: Path) -> int:
    with path.open("rb") as file:
        return sum(1 for _ in file)


def test_no_source_file_is_over_400_lines():
    files = source_files()
    assert len(files) > 300, "the walk found the project's files"
    too_long = sorted(f"{relative(p)}: {n}" for p in files if (n := line_count(p)) > MAX_LINES)
    assert not too_long, "over 400 lines:\n" + "\n".join(too_long)


def test_the_check_counts_lines_as_an_editor_does(tmp_path):
    short = tmp_path / "short.py"
    short.write_text("a = 1\n" * MAX_LINES)
    assert line_count(short) == MAX_LINES
    short.write_text("a = 1\n" * MAX_LINES + "b = 2")  # a last line without a newline
    assert line_count(short) == MAX_LINES + 1
