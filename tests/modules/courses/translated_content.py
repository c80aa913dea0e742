"""The fixture curriculum with German translations beside ``basics`` (imported by name):
module.md, the first lesson and the quiz are translated, the second lesson is not."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from tests.conftest import FIXTURE_CONTENT

MODULE_DE = """\
title: Grundlagen
summary: Das erste Modul der Testinhalte.
objectives:
  - Die Grundlagen kennen
"""
LESSON_DE = """\
# Erste Schritte

Das ist die erste Lektion. Sie ist kurz.
"""
QUIZ_DE = """\

## Welche Farbe hat der Himmel an einem klaren Tag? {#q-sky reread=first-steps}

- (x) Blau
  > Richtig.
- ( ) Grün
  > Gras ist grün, nicht der Himmel.

Der Himmel sieht wegen der Streuung blau aus.

## Was ist Obst? {#q-fruit reread=next-steps}

- [x] Apfel
- [ ] Karotte
  > Eine Karotte ist eine Wurzel.
- [x] Birne

Äpfel und Birnen sind Obst.

## Wie viele Beine hat eine Katze? {#q-cat}

- ( ) Zwei
- (x) Vier
- ( ) Sechs

Katzen haben vier Beine.
"""
GERMAN = {"Accept-Language": "de"}
ENGLISH = {"Accept-Language": "en"}


def translate(
    folder: Path, name: str, body: str, *, extra: str = "", reviewed: bool = False
) -> None:
    source = folder / (name.split(".")[0] + ".md")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    front = f"---\nsource_sha256: {digest}\nreviewed: {str(reviewed).lower()}\n{extra}---\n"
    (folder / name).write_text(front + body, encoding="utf-8")


def german_content(tmp_path: Path) -> Path:
    """A copy of the fixture content with basics partly in German."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    basics = content / "basics"
    translate(basics, "module.de.md", "\nWillkommen bei den Grundlagen.\n", extra=MODULE_DE)
    translate(basics, "01-first-steps.de.md", LESSON_DE)
    translate(basics, "quiz.de.md", QUIZ_DE, reviewed=True)
    return content
