"""The trainer's workspace (trainers and admins): find trainees, attest practical
requirements, revoke certificates, suspend and lift a suspension, lift a wait before a
quiz."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.core.catalogue import current_catalogue, get_module
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.accounts.services import role_required
from academy.modules.certificates import services as certificates
from academy.modules.certificates.codes import format_code
from academy.modules.quizzes import pacing
from academy.modules.trainer import services
from academy.modules.trainer.forms import (
    AttestationForm,
    RevokeForm,
    SuspendForm,
    TraineeSearchForm,
)

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
staff_only = role_required(Role.TRAINER, Role.ADMIN)


@bp.get("/")
@staff_only
def trainees():
    form = TraineeSearchForm(request.args)
    query = form.q.data or "" if form.validate() else ""
    return render_template(
        "trainer/trainees.html", form=form, trainees=services.find_trainees(query)
    )


def _attestation_form() -> AttestationForm:
    form = AttestationForm()
    form.requirement.choices = services.attestation_choices()
    return form


def _render_trainee(user_id: int, status: int = 200, **forms):
    trainee = services.get_trainee(user_id)
    pauses = certificates.open_pauses(trainee.id)
    paused = bool(pauses)
    held = certificates.certificates_for(trainee.id)
    return (
        render_template(
            "trainer/trainee.html",
            trainee=trainee,
            certificates=[(c, certificates.certificate_status(c, paused)) for c in held],
            attestations=certificates.attestations_for(trainee.id),
            paths=current_catalogue().paths,
            pauses=pauses,
            format_code=format_code,
            revoke_form=forms.get("revoke_form") or RevokeForm(formdata=None),
            suspend_form=forms.get("suspend_form") or SuspendForm(formdata=None),
            attestation_form=forms.get("attestation_form") or _attestation_form(),
            modules=current_catalogue().modules,
            quiz_waits=pacing.waits_for(trainee.id),
            wait_lifts=pacing.lifts_for(trainee.id),
        ),
        status,
    )


@bp.get("/trainees/<id:user_id>")
@staff_only
def trainee(user_id: int):
    return _render_trainee(user_id)


@bp.post("/trainees/<id:user_id>/attestations")
@staff_only
def attest(user_id: int):
    trainee = services.get_trainee(user_id)
    form = _attestation_form()
    if form.validate_on_submit():
        path_slug, _, requirement_id = form.requirement.data.partition("/")
        try:
            certificates.record_attestation(
                trainee,
                path_slug,
                requirement_id,
                form.attested_on.data,
                form.note.data or "",
                by=current_user,
            )
        except UserError as error:
            form.requirement.errors.append(str(error))
        else:
            db.session.commit()
            flash("The attestation is recorded.", "success")
            return redirect(url_for("trainer.trainee", user_id=user_id))
    return _render_trainee(user_id, 400, attestation_form=form)


@bp.post("/certificates/<id:certificate_id>/revoke")
@staff_only
def revoke(certificate_id: int):
    certificate = certificates.get_certificate(certificate_id)
    form = RevokeForm()
    back = url_for("trainer.trainee", user_id=certificate.user_id) if certificate.user_id else None
    if form.validate_on_submit():
        try:
            certificates.revoke_certificate(certificate, form.reason.data, by=current_user)
        except UserError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"Certificate {format_code(certificate.code)} is revoked.", "success")
        return redirect(back or url_for("trainer.trainees"))
    flash("Please give a reason for the revocation.", "error")
    return redirect(back or url_for("trainer.trainees"))


@bp.post("/trainees/<id:user_id>/suspend")
@staff_only
def suspend(user_id: int):
    trainee = services.get_trainee(user_id)
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            certificates.suspend(trainee, form.note.data or "", by=current_user)
        except UserError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                f"{trainee.display_name} is suspended: cleared for no task until you lift it.",
                "success",
            )
        return redirect(url_for("trainer.trainee", user_id=user_id))
    return _render_trainee(user_id, 400, suspend_form=form)


@bp.post("/trainees/<id:user_id>/lift")
@staff_only
def lift(user_id: int):
    trainee = services.get_trainee(user_id)
    certificates.lift_suspension(trainee)
    db.session.commit()
    flash(f"The suspension of {trainee.display_name} is lifted.", "success")
    return redirect(url_for("trainer.trainee", user_id=user_id))


@bp.post("/trainees/<id:user_id>/quiz-waits/<slug>/lift")
@staff_only
def lift_quiz_wait(user_id: int, slug: str):
    trainee = services.get_trainee(user_id)
    module = get_module(slug)
    try:
        pacing.lift_wait(trainee, module, by=current_user)
    except UserError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"{trainee.display_name} can take the quiz of {module.title} again now.", "success")
    return redirect(url_for("trainer.trainee", user_id=user_id))
