"""Quick exit (/leave) and the "Staying safe online" page (/safety)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, session
from flask_login import current_user, logout_user

from academy.core import support
from academy.core.extensions import db
from academy.modules.safety import services

bp = Blueprint("safety", __name__)


def quick_exit_context() -> dict:
    """Every page's "Leave this page" button needs to know where to go (a context
    processor: safety's ``init_app``)."""
    return {"quick_exit_url": services.exit_url()}


@bp.get("/leave")
def leave():
    """The quick exit. A plain GET link, so it works without JavaScript; it only signs
    out, so it needs no CSRF token."""
    if current_user.is_authenticated:
        services.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    response = redirect(services.exit_url(), code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Clear-Site-Data"] = services.CLEAR_SITE_DATA
    return response


@bp.get("/safety")
def staying_safe():
    return render_template("safety/staying_safe.html", support_text=support.general_support_text())
