"""Access to the curriculum loaded at start-up: rendered once (or taken from the content
cache of an earlier start), never per request."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from flask import Flask, current_app
from flask_babel import gettext
from werkzeug.exceptions import NotFound

from academy.core.content import load_catalogue
from academy.core.content.cache import ModuleCache, cache_file
from academy.core.content.loader import load_module
from academy.core.content.model import Catalogue, Module

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


def _cache_enabled(app: Flask) -> bool:
    enabled = app.config["ACADEMY_CONTENT_CACHE"]
    return not app.testing if enabled is None else bool(enabled)


def current_catalogue() -> Catalogue:
    return current_app.extensions[EXTENSION_KEY]


def get_module(slug: str) -> Module:
    """The module with this slug, or a 404 that names what was missing."""
    module = current_catalogue().modules.get(slug)
    if module is None:
        raise NotFound(gettext("No module called '%(slug)s'.", slug=slug))
    return module
