"""Reading content files without ever raising on what an author may have saved."""

from __future__ import annotations

from pathlib import Path

from academy.core.content.model import Problem


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """The file as text with "\\n" line ends, or None (and a problem) if it can't be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(str(path), 1, f"missing {path.name}"))
        return None
    except OSError as exc:
        problems.append(Problem(str(path), 1, f"cannot read the file: {exc.strerror}"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        problems.append(Problem(str(path), line, message))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")
