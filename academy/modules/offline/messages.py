"""What the page script (static/js/offline.js) says, in the reader's language: a trainee's
pages hand these to the script in one data attribute, so the script holds no wording."""

from __future__ import annotations

import json

from flask import current_app
from flask_babel import gettext

from academy.core.i18n import current_language

# The catalogues do not change while the app runs: one JSON text per catalogue folder and
# language, made on the first trainee page in that language.
_MADE: dict[tuple[str, str], str] = {}


def offline_messages() -> str:
    """The script's messages as JSON in the page's language (part of every trainee page)."""
    key = (current_app.config["BABEL_TRANSLATION_DIRECTORIES"], current_language())
    if key not in _MADE:
        _MADE[key] = _messages_in_this_language()
    return _MADE[key]


def _messages_in_this_language() -> str:
    """``{day}`` and ``{title}`` are filled in by the script."""
    return json.dumps(
        {
            "studied": gettext(
                "Marked as studied on this phone. It will be sent when you are online."
            ),
            "quiz": gettext(
                "The answers are saved on this phone and will be sent when you are online."
            ),
            "signIn": gettext(
                "Something you did offline is waiting on this phone. Sign in again to send it."
            ),
            "refused": gettext(
                "The answers could not be sent yet. They are still saved on this phone and "
                "will be sent again."
            ),
            "sent": gettext("Sent. Thank you."),
            "saving": gettext("Saving the lessons on this phone…"),
            "saved": gettext(
                "Saved on this phone. You can read these lessons without a connection. "
                "They stay on this phone until you remove them."
            ),
            "notSaved": gettext(
                "The lessons could not be saved. Please try again when you are online."
            ),
            "removed": gettext("The saved lessons are removed from this phone."),
            "savedOn": gettext("Saved on {day}."),
            "removeOne": gettext("Remove “{title}” from this phone"),
            # the service worker's page for an address not saved, when offline
            "offlineTitle": gettext("You are offline"),
            "offlineText": gettext(
                "This page is not saved on this phone. It opens again when you are online."
            ),
            "offlineLink": gettext("Lessons saved on this phone"),
        },
        ensure_ascii=False,
    )
