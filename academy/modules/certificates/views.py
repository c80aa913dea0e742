from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from academy.core.destinations import SIGNED_CREDENTIAL, destination_url, has_destination
from academy.core.extensions import db
from academy.core.limiter import verification_limit
from academy.modules.certificates import services
from academy.modules.certificates.codes import format_code
from academy.modules.practice import services as practice

bp = Blueprint("certificates", __name__)


@bp.get("/certificates")
@login_required
def mine():
    paused_kinds = services.open_pause_kinds(current_user.id)
    certificates = services.certificates_for(current_user.id)
    # The signed credential is another feature's page; an app without it offers none.
    credential_links = {
        c.id: destination_url(SIGNED_CREDENTIAL, code=format_code(c.code))
        for c in certificates
        if has_destination(SIGNED_CREDENTIAL)
    }
    return render_template(
        "certificates/mine.html",
        certificates=services.certificate_standings(certificates, bool(paused_kinds)),
        credential_links=credential_links,
        part_revoked=services.PART_REVOKED_REASON,
        paused_kinds=paused_kinds,
        format_code=format_code,
    )


@bp.get("/certificates/paths")
@login_required
def paths():
    """Where the trainee stands in each path: modules, and observed practice still open."""
    return render_template(
        "certificates/paths.html",
        standings=services.path_standings(current_user.id),
        result_words=practice.RESULT_WORDS,
    )


@bp.post("/certificates/pause")
@login_required
def pause():
    services.pause_self(current_user)
    db.session.commit()
    flash(
        gettext("You are taking a break. Centres see you as paused until you come back."),
        "success",
    )
    return redirect(url_for("certificates.mine"))


@bp.post("/certificates/resume")
@login_required
def resume():
    services.resume_self(current_user)
    db.session.commit()
    flash(gettext("Welcome back. Your break has ended."), "success")
    return redirect(url_for("certificates.mine"))


@bp.get("/verify")
@verification_limit()
def verify():
    text = request.args.get("code", "").strip()
    if not text:
        return render_template("certificates/verify.html", code="", result=None, error=None)
    checker = current_user.id if current_user.is_authenticated else None
    result = services.verify_code(text, via="page", user_id=checker)
    db.session.commit()  # the audit log entry the check produced
    if result is None:
        error = gettext(
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
