"""The language a reader reads the curriculum in, and how pages mark the language of
what they show (docs/authoring.md, "Translations").

A module is shown in the reader's language file by file (``Module.in_language``): a
page may mix a German lesson list with an English lesson that is not translated yet.
Each text then carries ``lang`` (and ``dir``) where its language is not the page's, so
that screen readers, hyphenation and read-aloud use the right language. The reader's
language is the interface's (``academy.core.i18n``): one choice for both.
"""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale, UnknownLocaleError
from flask import Flask
from markupsafe import Markup, escape

from academy.core import i18n
from academy.core.content.model import Module

# Content may be in languages the interface does not offer (a module's source language).
RIGHT_TO_LEFT = i18n.RIGHT_TO_LEFT | {"fa", "he", "ur"}


def reader_language() -> str:
    """The language the reader wants content in: the page's (Flask-Babel's locale)."""
    return i18n.current_language()


def language_name(code: str) -> str:
    """A language's name in the page's language ("Englisch" on a German page); the
    code if Babel does not know it."""
    try:
        return Locale.parse(code).get_display_name(i18n.current_language()) or code
    except (ValueError, UnknownLocaleError):
        return code


def language_direction(code: str) -> str:
    """``rtl`` for a language written right to left, else ``ltr``: for ``dir``."""
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def lang_attributes(language: str, page_language: str) -> Markup:
    """`` lang="…" dir="…"`` for an element whose text is in ``language``; nothing when
    that is the page's language."""
    if language == page_language:
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(language, language_direction(language))


def text_in(text: str, language: str, page_language: str) -> Markup:
    """``text`` escaped, in a ``<span>`` that names its language if not the page's."""
    if language == page_language:
        return escape(text)
    return Markup("<span{}>{}</span>").format(lang_attributes(language, page_language), text)


def module_titles(modules: Iterable[Module], page_language: str) -> Markup:
    """The titles of ``modules`` in the reader's language, each marked, comma-separated."""
    shown = (module.in_language(page_language) for module in modules)
    return Markup(", ").join(text_in(m.title, m.language, page_language) for m in shown)


def init_content_language(app: Flask) -> None:
    app.jinja_env.globals.update(
        reader_language=reader_language,
        language_name=language_name,
        language_direction=language_direction,
        lang_attributes=lang_attributes,
        text_in=text_in,
        module_titles=module_titles,
    )
