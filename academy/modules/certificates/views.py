from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from academy.modules.certificates import services
from academy.modules.certificates.codes import format_code

bp = Blueprint("certificates", __name__)


@bp.get("/certificates")
@login_required
def mine():
    return render_template(
        "certificates/mine.html",
        certificates=services.certificates_for(current_user.id),
        status=services.certificate_status,
        format_code=format_code,
    )


@bp.get("/verify")
def verify():
    text = request.args.get("code", "").strip()
    if not text:
        return render_template("certificates/verify.html", code="", result=None, error=None)
    checker = current_user.id if current_user.is_authenticated else None
    result = services.verify_code(text, via="page", user_id=checker)
    if result is None:
        error = (
            "This is not a certificate code. A code has 20 letters and digits, "
            "like ABCD-EFGH-JKMN-PQRS-TVWX."
        )
        return render_template("certificates/verify.html", code=text, result=None, error=error), 400
    status = 404 if result.status == "unknown" else 200
    return render_template("certificates/verify.html", code=text, result=result, error=None), status


@bp.get("/verify/<code>")
def verify_link(code: str):
    """The address a QR code or a shared link opens."""
    return redirect(url_for("certificates.verify", code=code))
