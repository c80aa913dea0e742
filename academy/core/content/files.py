"""Reading content files without ever raising on what an author may have saved.

Two limits keep the content folder a closed box: a content file or module folder is
never a symbolic link (a link can point anywhere on the server, and the loader would
publish what it finds there), and a file larger than the limit is refused before a
byte of it is read (one 50 MB lesson took 30 s and 800 MB to render at start-up).
"""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

from academy.core.content.model import Problem

# ACADEMY_CONTENT_MAX_BYTES: the largest file of the curriculum is about 16 KB.
DEFAULT_MAX_BYTES = 1024 * 1024
SYMLINK_MESSAGE = (
    "is a symbolic link; content is only read from real files and folders inside the "
    "content folder, so copy it in instead"
)


def describe_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024**2:
        return f"{size / 1024:.0f} KB"
    if size < 1024**3:
        return f"{size / 1024**2:.1f} MB"
    return f"{size / 1024**3:.1f} GB"


def too_large_message(size: int, max_bytes: int) -> str:
    return (
        f"the file is {describe_size(size)}, more than the limit of {describe_size(max_bytes)} "
        "(ACADEMY_CONTENT_MAX_BYTES); split it into several lessons"
    )


def read_text(
    path: Path, problems: list[Problem], max_bytes: int = DEFAULT_MAX_BYTES
) -> str | None:
    """The file as text with "\\n" line ends, or None (and a problem) if it can't be read,
    is a symbolic link or is larger than ``max_bytes``."""
    try:
        size, data = _read_at_most(path, max_bytes)
    except FileNotFoundError:
        problems.append(Problem(str(path), 1, f"missing {path.name}"))
        return None
    except OSError as exc:
        message = (
            f"{path.name} {SYMLINK_MESSAGE}"
            if exc.errno == errno.ELOOP
            else f"cannot read the file: {exc.strerror}"
        )
        problems.append(Problem(str(path), 1, message))
        return None
    if size > max_bytes:
        problems.append(Problem(str(path), 1, too_large_message(size, max_bytes)))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        problems.append(Problem(str(path), line, message))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_of(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """The SHA-256 of the file's bytes in hex, as ``sha256sum`` prints it; None if the
    file cannot be read, is a symbolic link or is larger than ``max_bytes`` (reading it
    as content has reported why)."""
    try:
        size, data = _read_at_most(path, max_bytes)
    except OSError:
        return None
    return None if size > max_bytes else hashlib.sha256(data).hexdigest()


def _read_at_most(path: Path, max_bytes: int) -> tuple[int, bytes]:
    """The file's size and, if it is within ``max_bytes``, its bytes (else b"").

    O_NOFOLLOW refuses a link (ELOOP) in the same call that opens the file, so no link
    can be swapped in between a check and the read; the size is checked before reading,
    and a file that grows meanwhile is still read only up to the limit."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            return size, b""
        data = handle.read(max_bytes + 1)
    return max(size, len(data)), data
