"""How long a sign-in lasts: an idle timeout and an absolute timeout.

The session cookie is signed, so the two timestamps in it cannot be changed by the
browser; a cookie replayed later is still judged by them. Ending a session for good
(sign-out, password change, account deletion) is the job of the session nonce in the
user id (``accounts.services.end_all_sessions``); this module only limits its age.

All times come from ``academy.core.clock`` so tests can move them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta
from typing import TypeVar

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext
from flask_login import logout_user, user_logged_in

from academy.core.clock import utcnow

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Writing ``last_seen`` on every request would send a new cookie with every response;
# a minute's precision is plenty for a timeout counted in minutes.
TOUCH_AFTER_SECONDS = 60
USER_ID = "_user_id"  # where Flask-Login keeps the signed-in user's id

IDLE_MESSAGE = lazy_gettext(
    "You were signed out after a time without activity. Please sign in again."
)
_KEEPS_WHAT_WAS_SENT = "keeps_what_was_sent_signed_out"
F = TypeVar("F", bound=Callable)

ABSOLUTE_MESSAGE = lazy_gettext(
    "You were signed out because your sign-in was getting old. Please sign in again."
)


def now_seconds() -> int:
    """Seconds since the epoch, read through the test-movable clock."""
    return int(utcnow().replace(tzinfo=UTC).timestamp())


def start_session(_sender: object = None, **_extra: object) -> None:
    """Stamp a new sign-in; connected to Flask-Login's ``user_logged_in`` signal so
    every way of signing in (password, code, registration) starts the clocks."""
    now = now_seconds()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now


def expiry_message(signed_in_at: object, last_seen: object, now: int, config: dict) -> str | None:
    """Why a session with these stamps has ended, or None while it is still good."""
    if not isinstance(signed_in_at, int) or not isinstance(last_seen, int):
        # a session without stamps was not made by a sign-in here: never trust it
        return ABSOLUTE_MESSAGE
    if now - signed_in_at >= config["ACADEMY_SESSION_HOURS"] * 3600:
        return ABSOLUTE_MESSAGE
    if now - last_seen >= config["ACADEMY_IDLE_MINUTES"] * 60:
        return IDLE_MESSAGE
    return None


def check_session_age() -> ResponseReturnValue | None:
    """``before_request``: sign out a session that is idle or too old."""
    if request.endpoint == "static":
        return None
    if USER_ID not in session:
        _refuse_remember_cookie(current_app.config)
        return None
    now = now_seconds()
    message = expiry_message(
        session.get(SIGNED_IN_AT), session.get(LAST_SEEN), now, current_app.config
    )
    if message is None:
        if now - session[LAST_SEEN] >= TOUCH_AFTER_SECONDS:
            session[LAST_SEEN] = now
        return None
    logout_user()
    session.clear()
    if request.path.startswith("/api/"):
        return None  # the API does not use the session; carry on signed out
    flash(str(message), "info")
    if _view_keeps_what_was_sent():
        return None  # the view runs signed out and keeps the form (e.g. quiz answers)
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    # The sign-in page is the accounts feature's: it names it as Flask-Login's login_view.
    return redirect(url_for(current_app.login_manager.login_view, next=target))


def keeps_what_was_sent_signed_out(view: F) -> F:
    """Mark a POST view that handles a signed-out sender itself, keeping what was sent
    (see ``quizzes.views.submit``), instead of being sent to the sign-in page with the
    form thrown away when the session has just timed out."""
    setattr(view, _KEEPS_WHAT_WAS_SENT, True)
    return view


def _view_keeps_what_was_sent() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return request.method == "POST" and getattr(view, _KEEPS_WHAT_WAS_SENT, False)


def _refuse_remember_cookie(config: dict) -> None:
    """We never issue Flask-Login's remember-me cookie; should one arrive anyway, tell
    Flask-Login to ignore it (and delete it) rather than sign someone in from it."""
    if config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        session["_remember"] = "clear"


def init_sessions(app: Flask) -> None:
    # The cookie itself is a browser-session cookie (not permanent), so closing the
    # browser ends it on a shared computer; this only bounds a permanent one, should a
    # feature ever make one.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["ACADEMY_SESSION_HOURS"])
    app.before_request(check_session_age)
    user_logged_in.connect(start_session)  # idempotent: blinker keeps one per receiver
