"""``/healthz``: for load balancers and monitors. No sign-in, no personal data."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from academy.modules.operations import services

bp = Blueprint("operations", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    health = services.health()
    response = jsonify(health.as_dict())
    # 503 takes this server out of a load balancer's rotation until it recovers.
    response.status_code = 200 if health.ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
