"""The web app manifest, the service worker, the list of saved lessons and the two JSON
answers the page script asks for (what to save; who is signed in, with a fresh CSRF
token for sending what waited on the phone)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from academy.core.config import PROJECT_ROOT
from academy.modules.accounts.models import Role
from academy.modules.accounts.services import role_required
from academy.modules.offline import services
from academy.modules.offline.messages import offline_messages

bp = Blueprint("offline", __name__)

SERVICE_WORKER = PROJECT_ROOT / "static" / "js" / "sw.js"
MANIFEST_TYPE = "application/manifest+json"


def offline_context() -> dict:
    """A trainee's pages name the trainee's offline cache (``data-offline-key``): the
    page script keeps each account's saved lessons and waiting actions apart."""
    trainee = current_user.is_authenticated and current_user.is_trainee
    if not trainee:
        return {"offline_key": "", "offline_messages": ""}
    return {"offline_key": services.cache_name(current_user), "offline_messages": offline_messages}


@bp.get("/manifest.webmanifest")
def manifest():
    """Makes Peer Academy installable; its icons are served by the app."""
    icons = [
        {
            "src": url_for("static", filename=f"icons/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any maskable",
        }
        for size in (192, 512)
    ]
    document = {
        "name": "Peer Academy",
        "short_name": "Peer Academy",
        "description": "Training for peer advisors",
        "lang": "en",
        "start_url": url_for("courses.home"),
        "scope": url_for("courses.home"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4f91",
        "icons": icons,
    }
    response = jsonify(document)
    response.mimetype = MANIFEST_TYPE
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, at the root so that its scope covers every page. Checked
    for changes on every visit (``no-cache``), so a new version replaces the old."""
    response = Response(SERVICE_WORKER.read_bytes(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = url_for("courses.home")
    return response


@bp.get("/offline")
@role_required(Role.TRAINEE)
def saved():
    """What is saved on this phone (read by the page script from the phone itself)."""
    return render_template("offline/saved.html")


@bp.get("/offline/modules/<slug>/files")
@role_required(Role.TRAINEE)
def module_files(slug: str):
    """The addresses the page script saves for reading ``slug`` offline."""
    try:
        copy = services.offline_copy(current_user, slug)
    except services.NotSavable as refusal:
        return _private_json({"error": str(refusal)}, 409)
    return _private_json(copy.as_json())


@bp.get("/offline/session")
def session_state():
    """Who is signed in (as the offline key) and a fresh CSRF token: sent before what
    waited on the phone, so an old page's expired token does not refuse it."""
    if not (current_user.is_authenticated and current_user.is_trainee):
        return _private_json({"key": None})
    return _private_json({"key": services.cache_name(current_user), "csrf_token": generate_csrf()})


def _private_json(document: dict, status: int = 200) -> Response:
    response = jsonify(document)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
