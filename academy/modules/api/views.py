from __future__ import annotations

from flask import Blueprint, jsonify

from academy.core.extensions import csrf
from academy.modules.certificates import services as certificates

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated JSON, no cookies forms


@bp.get("/certificates/<code>")
def certificate(code: str):
    result = certificates.verify_code(code)
    if result is None:
        return jsonify(
            error="This is not a certificate code: 20 letters and digits.", status=400
        ), 400
    if result.status == "unknown":
        return jsonify(error="No certificate has this code.", status=404), 404
    return jsonify(result.as_dict())
