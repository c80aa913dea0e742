"""When a trainee's next try at a quiz opens, for the pages of lower features.

After failed attempts in a row a quiz opens again only after a wait (pacing, in the
quizzes feature). The module page (courses) must say so at its quiz link, but courses
cannot ask quizzes, a higher feature. So quizzes registers its lookup here at start-up
and courses asks core: the dependency still points one way, as with support contacts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app

from academy.core.content.model import Lesson, Module


@dataclass(frozen=True)
class QuizWait:
    """A wait in force: no new attempt before ``opens_at``."""

    opens_at: datetime  # naive UTC
    since: datetime  # the last failed attempt was sent then (naive UTC): the wait began
    reread: tuple[Lesson, ...]  # what to reread meanwhile, in the module's order


WaitLookup = Callable[[int, Module], QuizWait | None]
EXTENSION_KEY = "academy.quiz_wait_lookup"


def register_wait_lookup(app: Flask, lookup: WaitLookup) -> None:
    """``lookup(user_id, module)`` tells this app's pages about waits; again replaces it."""
    app.extensions[EXTENSION_KEY] = lookup


def quiz_wait(user_id: int, module: Module) -> QuizWait | None:
    """The wait before this user's next try at the module's quiz; None without one (or
    without a feature that paces quizzes)."""
    lookup = current_app.extensions.get(EXTENSION_KEY)
    if lookup is None or module.quiz is None:
        return None
    return lookup(user_id, module)
