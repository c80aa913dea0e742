"""German translations of the content_builders module, for the translation tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from academy.core.content.translations import translation_of

MODULE_DE = """\
title: Traumasensible Peer-Unterstützung
summary: Was Trauma bewirkt und wie Sie helfen.
objectives:
  - Häufige Reaktionen auf Trauma erklären
  - Zwei Grounding-Übungen anwenden
"""

LESSON_DE = """\
# Was Trauma ist

Trauma entsteht, wenn etwas einen Menschen überwältigt. Der Körper reagiert.
"""

QUIZ_DE = """\

## Was tun Sie zuerst? {#q-first}

- ( ) Sie bitten sie, die Geschichte weiter zu erzählen.
  > Das kann sie überfordern.
- (x) Sie helfen ihr zu merken, wo sie jetzt ist.

## Was hilft ihr, sich sicher zu fühlen? {#q-safe}

- [x] Eine ruhige Stimme
- [ ] Viele Fragen
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def front_matter(digest: str, reviewed: bool = False, extra: str = "") -> str:
    return f"---\nsource_sha256: {digest}\nreviewed: {str(reviewed).lower()}\n{extra}---\n"


def write_translation(
    folder: Path,
    name: str,
    body: str,
    *,
    reviewed: bool = False,
    extra: str = "",
    digest: str | None = None,
) -> Path:
    """``folder/name`` (e.g. ``quiz.de.md``): front matter recording the source's hash
    (or ``digest``), then ``body``. Module translations put their keys in ``extra``."""
    source = folder / translation_of(name)[0]
    file = folder / name
    text = front_matter(digest or sha256(source), reviewed, extra) + body
    file.write_text(text, encoding="utf-8")
    return file


def translate_all(folder: Path, reviewed: bool = False) -> None:
    """module.de.md, 01-what-trauma-is.de.md and quiz.de.md for the default module."""
    write_translation(folder, "module.de.md", "", reviewed=reviewed, extra=MODULE_DE)
    write_translation(folder, "01-what-trauma-is.de.md", LESSON_DE, reviewed=reviewed)
    write_translation(folder, "quiz.de.md", QUIZ_DE, reviewed=reviewed)
