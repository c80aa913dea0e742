"""Rendered modules kept on disk, so that a restart with unchanged content renders nothing.

Rendering is most of the start-up time (about 30 ms per module). The cache is one JSON
file per content folder; each module in it is stored under a key that hashes the module
folder's path (it is part of every problem and ``path``), the names in the folder and
the bytes of every Markdown file in it, which are all the loader reads. A module whose
key differs is loaded afresh. The whole file is ignored when its fingerprint differs:
the source of the code that loads and renders content, and the versions of Python,
Python-Markdown, nh3 and PyYAML. So a new release never serves HTML made by old code.

JSON rather than pickle: reading the file runs no code, whoever wrote it. It still
holds HTML that pages show as safe, so it belongs in the instance folder next to the
secret key, readable by the app's user only (0600 in a 0700 folder).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import markdown
import nh3
import yaml

from academy.core import markdown as renderer
from academy.core.content.files import DEFAULT_MAX_BYTES
from academy.core.content.loader import ModuleLoader, ModuleResult
from academy.core.content.model import (
    Lesson,
    Module,
    Option,
    Problem,
    Question,
    Quiz,
    Translation,
)

logger = logging.getLogger("academy.content")


def cache_file(cache_dir: Path, content_dir: Path) -> Path:
    """The cache of ``content_dir``: one file per folder, so that two content folders
    used with one instance folder (a test copy, say) do not evict each other."""
    name = hashlib.sha256(os.fsencode(content_dir)).hexdigest()[:16]
    return cache_dir / f"{name}.json"


def fingerprint() -> str:
    """A hash of everything besides the content files that shapes a loaded module."""
    code = sorted(Path(__file__).parent.glob("*.py")) + [Path(renderer.__file__)]
    versions = (sys.version, markdown.__version__, nh3.__version__, yaml.__version__)
    return _hash(
        [part for file in code for part in (os.fsencode(file.name), file.read_bytes())]
        + [version.encode() for version in versions]
    )


def module_key(folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """A hash of what the loader reads from ``folder``; None if that can't be read."""
    try:
        return _hash(_module_parts(folder, max_bytes))
    except OSError:
        return None


def _module_parts(folder: Path, max_bytes: int) -> Iterator[bytes]:
    yield os.fsencode(folder)
    for entry in sorted(folder.iterdir()):
        yield os.fsencode(entry.name)
        # Only Markdown files are read; anything else (an image) is ignored whatever it
        # holds. The prefix tells an empty file from a folder with the same name. Like
        # the loader, never follow a link or read a file over the limit.
        if entry.is_symlink():
            yield b"link"
        elif entry.name.endswith(".md") and entry.is_file():
            size = entry.stat().st_size
            too_large = b"large:%d>%d" % (size, max_bytes)
            yield too_large if size > max_bytes else b"file:" + entry.read_bytes()
        else:
            yield b"other"


def _hash(parts: Iterable[bytes]) -> str:
    """Each part's length goes first, so that no two different lists of parts hash alike."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(b"%d:" % len(part))
        digest.update(part)
    return digest.hexdigest()


class ModuleCache:
    """Wraps a module loader: :meth:`load` reuses a stored module whose key still
    matches, :meth:`save` writes what this start loaded (and nothing else) back."""

    def __init__(self, file: Path, load: ModuleLoader, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.file = file
        self._load = load
        self._max_bytes = max_bytes
        self._fingerprint = fingerprint()
        self._stored = self._read()
        self._entries: dict[str, dict] = {}
        self._reused = 0
        self._rendered = 0

    def load(self, folder: Path) -> ModuleResult:
        key = module_key(folder, self._max_bytes)
        entry = self._stored.get(folder.name)
        if key is not None and isinstance(entry, dict) and entry.get("key") == key:
            try:
                result = _decode(entry["result"])
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                logger.warning("content cache: %s unreadable (%r); rendering it", folder, error)
            else:
                self._entries[folder.name] = entry
                self._reused += 1
                return result
        result = self._load(folder)
        self._rendered += 1
        # A file saved while the module was loading: don't store it under the old key,
        # which would serve this version if the file were changed back.
        if key is not None and module_key(folder, self._max_bytes) == key:
            self._entries[folder.name] = {"key": key, "result": dataclasses.asdict(result)}
        return result

    def save(self) -> None:
        """Write the modules of this start atomically if any was rendered or removed.

        Never raises: without a cache the app only starts more slowly.
        """
        if self._rendered:
            # Says why this start was slow; silent when all came from the cache, so that
            # not every `academy` command prints it.
            logger.info(
                "content: %d modules rendered, %d from the cache", self._rendered, self._reused
            )
        elif self._entries.keys() == self._stored.keys():
            return
        data = json.dumps(
            {"fingerprint": self._fingerprint, "modules": self._entries}, separators=(",", ":")
        )
        temporary = None
        try:
            self.file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # mkstemp creates the file with mode 0600. Readers see the old file or the new
            # one, never half of one; a file cut short by a crash fails to parse and is
            # rebuilt, so there is no fsync.
            fd, temporary = tempfile.mkstemp(dir=self.file.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
            os.replace(temporary, self.file)
        except OSError as error:
            logger.warning(
                "content cache: cannot write %s (%s)", self.file, error.strerror or error
            )
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    def _read(self) -> dict[str, Any]:
        """The stored modules by folder name; {} if there is no usable file."""
        try:
            data = json.loads(self.file.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            logger.warning("content cache: %s unreadable (%s); rebuilding it", self.file, error)
            return {}
        if not isinstance(data, dict) or not isinstance(data.get("modules"), dict):
            logger.warning("content cache: %s is not a cache file; rebuilding it", self.file)
            return {}
        if data.get("fingerprint") != self._fingerprint:
            logger.info("content cache: %s is from other code; rebuilding it", self.file)
            return {}
        return data["modules"]


def _decode(data: dict) -> ModuleResult:
    """The inverse of ``dataclasses.asdict`` for a ModuleResult (JSON has no tuples)."""
    module = data["module"]
    return ModuleResult(
        slug=data["slug"],
        module=None if module is None else _module(module),
        problems=[Problem(**problem) for problem in data["problems"]],
        prerequisites=tuple(data["prerequisites"]),
        prerequisites_line=data["prerequisites_line"],
        module_md=data["module_md"],
    )


def _module(data: dict) -> Module:
    quiz = data["quiz"]
    return Module(
        **data
        | {
            "objectives": tuple(data["objectives"]),
            "prerequisites": tuple(data["prerequisites"]),
            "lessons": tuple(
                Lesson(
                    **lesson
                    | {
                        "facts": tuple(lesson["facts"]),
                        "translation": _translation(lesson["translation"]),
                    }
                )
                for lesson in data["lessons"]
            ),
            "quiz": None if quiz is None else _quiz(quiz),
            "translation": _translation(data["translation"]),
            "translations": {
                language: _module(module) for language, module in data["translations"].items()
            },
        }
    )


def _translation(data: dict | None) -> Translation | None:
    return None if data is None else Translation(**data)


def _quiz(data: dict) -> Quiz:
    questions = tuple(
        Question(**question | {"options": tuple(Option(**o) for o in question["options"])})
        for question in data["questions"]
    )
    return Quiz(**data | {"questions": questions, "translation": _translation(data["translation"])})
