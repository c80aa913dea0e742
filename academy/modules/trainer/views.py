"""The trainer's workspace (trainers and admins): find trainees, record observed
practice, revoke certificates, suspend and lift a suspension, lift a wait before a quiz."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.exceptions import NotFound

from academy.core.catalogue import current_catalogue, get_module
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.forms import show_error
from academy.modules.accounts.models import Role
from academy.modules.accounts.services import role_required
from academy.modules.certificates import services as certificates
from academy.modules.certificates.codes import format_code
from academy.modules.practice import services as practice
from academy.modules.quizzes import pacing
from academy.modules.trainer import services
from academy.modules.trainer.forms import (
    RevokeForm,
    SuspendForm,
    TraineeSearchForm,
    observation_form,
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
            practice=[
                practice.practice_progress(trainee.id, path)
                for path in current_catalogue().paths.values()
                if path.practice
            ],
            sessions=practice.sessions_of(trainee.id),
            pauses=pauses,
            format_code=format_code,
            result_words=practice.RESULT_WORDS,
            revoke_form=forms.get("revoke_form") or RevokeForm(formdata=None),
            suspend_form=forms.get("suspend_form") or SuspendForm(formdata=None),
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


@bp.route("/trainees/<id:user_id>/practice/<path_slug>/<scenario_id>", methods=["GET", "POST"])
@staff_only
def observe(user_id: int, path_slug: str, scenario_id: str):
    """The scenario's checklist: record one observed session."""
    trainee = services.get_trainee(user_id)
    found = practice.find_scenario(path_slug, scenario_id)
    if found is None:
        raise NotFound(gettext("This certificate path has no such practice scenario."))
    path, scenario = found
    form = observation_form(scenario)
    if form.validate_on_submit():
        try:
            practice.record_session(
                trainee,
                path.slug,
                scenario.id,
                form.observed_on.data,
                form.results(),
                form.note.data or "",
                by=current_user,
            )
        except UserError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(
                gettext("The session of '%(scenario)s' is recorded.", scenario=scenario.title),
                "success",
            )
            return redirect(url_for("trainer.trainee", user_id=user_id))
    progress = practice.practice_progress(trainee.id, path)
    page = render_template(
        "trainer/observation.html",
        trainee=trainee,
        path=path,
        scenario=scenario,
        progress=next(s for s in progress.scenarios if s.scenario.id == scenario.id),
        form=form,
    )
    return page, 400 if request.method == "POST" else 200


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
            flash(
                gettext("Certificate %(code)s is revoked.", code=format_code(certificate.code)),
                "success",
            )
        return redirect(back or url_for("trainer.trainees"))
    flash(gettext("Please give a reason for the revocation."), "error")
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
                gettext(
                    "%(name)s is suspended: cleared for no task until you lift it.",
                    name=trainee.display_name,
                ),
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
    flash(
        gettext("The suspension of %(name)s is lifted.", name=trainee.display_name),
        "success",
    )
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
        flash(
            gettext(
                "%(name)s can take the quiz of %(module)s again now.",
                name=trainee.display_name,
                module=module.title,
            ),
            "success",
        )
    return redirect(url_for("trainer.trainee", user_id=user_id))
