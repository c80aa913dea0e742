"""What a phone may keep of Peer Academy: the name of a trainee's own offline cache, and
the addresses a module's offline copy consists of (its lessons and what they load)."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext

from academy.core.content.model import Module
from academy.modules.accounts.models import User
from academy.modules.courses import services as courses

CACHE_PREFIX = "lessons-"
# The files every lesson page loads (templates/base.html).
LESSON_PAGE_ASSETS = (
    "css/app.css",
    "css/fonts.css",
    "js/quick-exit.js",
    "js/offline.js",
    "js/read-aloud.js",
    "favicon.svg",
)
_STATIC_SOURCE = re.compile(r"""\ssrc=["'](/static/[^"'?#\s]+)""")


class NotSavable(ValueError):
    """The module cannot be saved now; the message says why."""


@dataclass(frozen=True)
class OfflineCopy:
    """Everything that goes into the trainee's cache for one module."""

    cache: str
    module: Module
    lessons: list[tuple[str, str]]  # (title, address)
    assets: list[str]

    def as_json(self) -> dict:
        return {
            "cache": self.cache,
            "module": {"slug": self.module.slug, "title": self.module.title},
            "lessons": [{"title": title, "url": url} for title, url in self.lessons],
            "assets": self.assets,
            "index": url_for("offline.saved"),
        }


def cache_name(user: User) -> str:
    """The trainee's own Cache Storage name: keyed with ``SECRET_KEY``, so it names
    nobody, differs for every account and cannot be guessed for another one."""
    digest = hmac.new(
        current_app.secret_key.encode(), f"offline-cache:{user.id}".encode(), hashlib.sha256
    )
    return CACHE_PREFIX + digest.hexdigest()[:24]


def offline_copy(user: User, slug: str) -> OfflineCopy:
    """The addresses of the module's offline copy: each lesson page as the trainee sees
    it and the files those pages load (images in lessons included)."""
    entry = courses.module_entry(user, slug)
    if entry.locked:
        raise NotSavable(
            gettext("This module opens when you have completed the modules it builds on.")
        )
    if entry.warning_pending:
        raise NotSavable(
            gettext(
                "This module has a content warning. Open its first lesson and choose to "
                "continue before you save it."
            )
        )
    module = entry.module
    lessons = [
        (lesson.title, url_for("courses.lesson", slug=module.slug, lesson_slug=lesson.slug))
        for lesson in module.lessons
    ]
    files = set(LESSON_PAGE_ASSETS)
    for lesson in module.lessons:
        files.update(path.removeprefix("/static/") for path in _STATIC_SOURCE.findall(lesson.html))
    assets = sorted(url_for("static", filename=name) for name in files)
    return OfflineCopy(cache_name(user), module, lessons, assets)
