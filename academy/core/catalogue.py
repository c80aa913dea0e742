"""Access to the curriculum loaded at start-up: rendered once (or taken from the content
cache of an earlier start), never per request."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from flask import Flask, current_app, has_request_context, request
from werkzeug.exceptions import NotFound

from academy.core.content import load_catalogue
from academy.core.content.cache import ModuleCache, cache_file
from academy.core.content.loader import load_module
from academy.core.content.model import DEFAULT_LANGUAGE, Catalogue, Module

logger = logging.getLogger("academy.content")
EXTENSION_KEY = "academy.catalogue"
CACHE_FOLDER = "content-cache"


def init_catalogue(app: Flask) -> None:
    content_dir = Path(app.config["ACADEMY_CONTENT_DIR"])
    # Plain-language hints are for authors (`academy content check`); nothing served needs them.
    max_bytes = app.config["ACADEMY_CONTENT_MAX_BYTES"]
    load = functools.partial(load_module, hints=False, max_bytes=max_bytes)
    if _cache_enabled(app):
        file = cache_file(Path(app.instance_path) / CACHE_FOLDER, content_dir)
        cache = ModuleCache(file, load, max_bytes)
        catalogue = load_catalogue(content_dir, cache.load, max_bytes)
        cache.save()
    else:
        catalogue = load_catalogue(content_dir, load, max_bytes)
    for problem in catalogue.errors:
        logger.error("content: %s", problem)
    app.extensions[EXTENSION_KEY] = catalogue
    app.jinja_env.globals.update(
        reader_language=reader_language,
        language_name=language_name,
        language_direction=language_direction,
    )


def _cache_enabled(app: Flask) -> bool:
    enabled = app.config["ACADEMY_CONTENT_CACHE"]
    return not app.testing if enabled is None else bool(enabled)


def current_catalogue() -> Catalogue:
    return current_app.extensions[EXTENSION_KEY]


def get_module(slug: str) -> Module:
    """The module with this slug, or a 404 that names what was missing."""
    module = current_catalogue().modules.get(slug)
    if module is None:
        raise NotFound(f"No module called {slug!r}.")
    return module


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
    languages the curriculum has; the source language (English) outside a request."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    return request.accept_languages.best_match(LANGUAGE_NAMES, default=DEFAULT_LANGUAGE)


def language_name(code: str) -> str:
    """A language's name in itself, e.g. "Deutsch"; the code if the name is not known."""
    return LANGUAGE_NAMES.get(code, code)


def language_direction(code: str) -> str:
    """``rtl`` for a language written right to left, else ``ltr``: for ``dir``."""
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"
