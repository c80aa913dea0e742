"""``/healthz`` for load balancers and monitors (no sign-in, no personal data), and the
content problems page for admins and trainers."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from academy.modules.accounts.models import Role
from academy.modules.accounts.services import role_required
from academy.modules.operations import content_problems, services

bp = Blueprint("operations", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    health = services.health()
    response = jsonify(health.as_dict())
    # 503 takes this server out of a load balancer's rotation until it recovers.
    response.status_code = 200 if health.ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/content/problems")
@role_required(Role.TRAINER, Role.ADMIN)
def content_problems_page():
    return render_template(
        "operations/content_problems.html", report=content_problems.content_report()
    )
