"""Links in templates, built once per app instead of on every request.

Every page asks for the same few dozen URLs (the layout's navigation, static files, the
lesson pager), and building one through Werkzeug's URL map costs about as much as a
small database query. A URL depends only on the endpoint, its values and where the app
is mounted (``SCRIPT_NAME``), so templates look it up in a per-app table keyed by those.
"""

from __future__ import annotations

from collections.abc import Hashable

from flask import Flask, current_app, has_request_context, request, url_for

EXTENSION_KEY = "academy.url_cache"
# Enough for every link of a large curriculum; past it the table starts again.
MAX_CACHED_URLS = 20_000


def cached_url_for(endpoint: str, **values: Hashable) -> str:
    """``url_for`` for templates. Relative endpoints (``.name``) and special arguments
    (``_external``, ``_anchor``, ...) depend on more than the key, so they are built."""
    if (
        not has_request_context()
        or endpoint.startswith(".")
        or any(name.startswith("_") for name in values)
    ):
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, *sorted(values.items()))
    cache: dict[tuple, str] = current_app.extensions[EXTENSION_KEY]
    url = cache.get(key)
    if url is None:
        if len(cache) >= MAX_CACHED_URLS:
            cache.clear()
        url = cache[key] = url_for(endpoint, **values)
    return url


def init_urls(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = {}
    app.jinja_env.globals["url_for"] = cached_url_for
