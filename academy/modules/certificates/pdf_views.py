"""The signed-in holder downloads a certificate as a PDF."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for
from flask_login import current_user, login_required

from academy.modules.certificates import services
from academy.modules.certificates.codes import format_code

bp = Blueprint("certificate_pdf", __name__)


def verify_url(formatted_code: str) -> str:
    """The public check a printed certificate's QR code and link open."""
    base = current_app.config.get("ACADEMY_BASE_URL") or request.host_url.rstrip("/")
    return base.rstrip("/") + url_for("certificates.verify_link", code=formatted_code)


@bp.get("/certificates/<code>/certificate.pdf")
@login_required
def download(code: str) -> Response:
    # Imported here: fpdf2 and fontTools take a fifth of the app's start-up time, and
    # only this download needs them.
    from academy.modules.certificates.pdf import render_certificate_pdf

    certificate = services.get_own_certificate(current_user.id, code)
    formatted = format_code(certificate.code)
    pdf = render_certificate_pdf(
        certificate, services.certificate_standing(certificate), verify_url(formatted)
    )
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="certificate-{formatted}.pdf"'
    # a personal document: no shared cache, no browser history copy
    response.headers["Cache-Control"] = "no-store"
    return response
