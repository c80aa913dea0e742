"""Access to the curriculum loaded at start-up (parsed and rendered once, never per request)."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, current_app
from werkzeug.exceptions import NotFound

from academy.core.content import load_catalogue
from academy.core.content.model import Catalogue, Module

logger = logging.getLogger("academy.content")
EXTENSION_KEY = "academy.catalogue"


def init_catalogue(app: Flask) -> None:
    catalogue = load_catalogue(Path(app.config["ACADEMY_CONTENT_DIR"]))
    for problem in catalogue.errors:
        logger.error("content: %s", problem)
    app.extensions[EXTENSION_KEY] = catalogue


def current_catalogue() -> Catalogue:
    return current_app.extensions[EXTENSION_KEY]


def get_module(slug: str) -> Module:
    """The module with this slug, or a 404 that names what was missing."""
    module = current_catalogue().modules.get(slug)
    if module is None:
        raise NotFound(f"No module called {slug!r}.")
    return module
