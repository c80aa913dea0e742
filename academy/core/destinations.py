"""Pages a lower feature sends people to, though a higher feature owns them.

After sign-in, accounts sends a person to where learning starts (a page of courses);
a lesson's content warning leads on to the module's quiz (quizzes); the certificates page
offers each certificate's signed credential (credentials). Naming those
endpoints would tie the lower feature to the higher one, so the owner registers its
endpoint under a name at start-up (in its ``init_app``) and the lower feature asks
core for the name: the dependency still points one way, as with signals.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, url_for

EXTENSION_KEY = "academy.destinations"

HOME = "home"  # the front page, for everyone
START = "start"  # where a signed-in person starts learning
MODULE_QUIZ = "module-quiz"  # a module's quiz; takes ``slug``
JOIN_CENTRE = "join-centre"  # where a trainee consents to share their status with a centre
# The session key under which registration leaves the invite code of the centre that
# invited the new trainee, so the JOIN_CENTRE page fills it in (consent stays unticked).
OFFERED_INVITE_CODE = "offered_invite_code"
SIGNED_CREDENTIAL = "signed-credential"  # a certificate's signed credential; takes ``code``


def register_destination(app: Flask, name: str, endpoint: str) -> None:
    """``endpoint`` is where ``name`` leads in this app; registering again replaces it."""
    app.extensions.setdefault(EXTENSION_KEY, {})[name] = endpoint


def has_destination(name: str) -> bool:
    """Whether a feature of this app provides ``name`` (an app may leave a feature out)."""
    return name in current_app.extensions.get(EXTENSION_KEY, {})


def destination_url(name: str, **values: Any) -> str:
    """The URL of the registered page; a KeyError names a destination nobody registered."""
    return url_for(current_app.extensions[EXTENSION_KEY][name], **values)
