"""Builders for content folders in tmp_path, shared by the content tests."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from content_builders import LESSON_MD, QUIZ_MD, module_md

WriteModule = Callable[..., Path]


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    path = tmp_path / "content"
    path.mkdir()
    return path


@pytest.fixture
def write_module(content_dir: Path) -> WriteModule:
    """Write a module folder; files default to a valid module, None leaves one out."""

    def write(slug: str = "trauma", files: dict[str, str | None] | None = None) -> Path:
        contents: dict[str, str | None] = {
            "module.md": module_md(),
            "01-what-trauma-is.md": LESSON_MD,
            "quiz.md": QUIZ_MD,
        } | (files or {})
        folder = content_dir / slug
        folder.mkdir()
        for name, text in contents.items():
            if text is not None:
                (folder / name).write_text(text, encoding="utf-8")
        return folder

    return write


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "link"}


def unsafe_parts(html: str) -> list[str]:
    """What a browser would find dangerous (or external) in ``html``; [] if it is safe."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.elements:
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            url = "".join(value.split()).lower()
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                found.append(f"{tag} {name}")
            if name in ("href", "src") and url.startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"{tag} {name}={value}")
            if tag == "img" and name == "src" and (":" in url or url.startswith(("//", "/\\"))):
                found.append(f"external image {value}")
    return found


@pytest.fixture(scope="session")
def assert_safe() -> Callable[[str], None]:
    def check(html: str) -> None:
        assert unsafe_parts(html) == [], html

    return check
