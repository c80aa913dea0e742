"""The language a reader reads the curriculum in, and how pages mark the language of
what they show (docs/authoring.md, "Translations").

A module is shown in the reader's language file by file (``Module.in_language``): a
page may mix a German lesson list with an English lesson that is not translated yet.
Each text then carries ``lang`` (and ``dir``) where its language is not the page's, so
that screen readers, hyphenation and read-aloud use the right language.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from markupsafe import Markup, escape

from academy.core.content.model import DEFAULT_LANGUAGE

# Each language named in itself, as a reader looks for it.
LANGUAGE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "ar": "العربية",
    "uk": "Українська",
    "ro": "Română",
}
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})


def reader_language() -> str:
    """The language the reader wants content in: the browser's choice among the
    languages the app knows; the source language (English) outside a request."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    return request.accept_languages.best_match(LANGUAGE_NAMES, default=DEFAULT_LANGUAGE)


def language_name(code: str) -> str:
    """A language's name in itself, e.g. "Deutsch"; the code if the name is not known."""
    return LANGUAGE_NAMES.get(code, code)


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


def init_content_language(app: Flask) -> None:
    app.jinja_env.globals.update(
        reader_language=reader_language,
        language_name=language_name,
        language_direction=language_direction,
        lang_attributes=lang_attributes,
        text_in=text_in,
    )
