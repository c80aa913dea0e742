"""The language switcher (the footer of every page, no JavaScript needed).

Signed in, ``POST /language`` stores the choice on the account (with the form's CSRF
token); signed out, ``GET /language/<code>`` sets the ``language`` cookie, a preference
that names no one. Both go back to the page the switcher was on: its address comes from
the Referer (same site only), never from a parameter, so no page puts its own address (which
may hold an invitation token) into its links.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, Response, abort, current_app, redirect, request
from flask_login import current_user, login_required

from academy.core.destinations import HOME, destination_url
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_DAYS, is_supported
from academy.modules.accounts import services
from academy.modules.accounts.views import safe_next

bp = Blueprint("languages", __name__)


def _page_before() -> str:
    """The same site's page the switcher was on, else the start page."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or referrer.scheme not in ("http", "https"):
        return destination_url(HOME)
    return safe_next(urlunsplit(("", "", referrer.path, referrer.query, "")))


def _back_with_cookie(code: str) -> Response:
    response = redirect(_page_before())
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=LANGUAGE_COOKIE_DAYS * 24 * 3600,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


@bp.post("/language")
@login_required
def set_language():
    try:
        services.set_language(current_user, request.form.get("language", ""))
    except UserError:
        abort(400)
    db.session.commit()
    # The cookie too: after signing out, the pages stay in the language just chosen.
    return _back_with_cookie(current_user.language)


@bp.get("/language/<code>")
def choose_language(code: str):
    if not is_supported(code):
        abort(404)
    return _back_with_cookie(code)
