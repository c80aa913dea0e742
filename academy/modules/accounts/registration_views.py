"""Invitations (create, list, revoke) and registration (by invitation; openly only when
ACADEMY_OPEN_REGISTRATION is on)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user

from academy.core.destinations import JOIN_CENTRE, OFFERED_INVITE_CODE, START, destination_url
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.forms import show_error
from academy.core.limiter import registration_limit
from academy.modules.accounts import invitations, sign_in_names
from academy.modules.accounts.forms import (
    InvitationForm,
    RegistrationForm,
    RevokeInvitationForm,
)
from academy.modules.accounts.models import Invitation, Role
from academy.modules.accounts.services import role_required

bp = Blueprint("registration", __name__)
can_invite = role_required(Role.TRAINER, Role.CENTRE, Role.ADMIN)

ROLE_LABELS = {
    Role.TRAINEE.value: "Trainee (peer advisor in training)",
    Role.TRAINER.value: "Trainer",
    Role.CENTRE.value: "Centre coordinator",
    Role.ADMIN.value: "Admin",
}


# --- invitations --------------------------------------------------------------------------


def _invitation_form() -> InvitationForm:
    form = InvitationForm()
    form.role.choices = [
        (role.value, ROLE_LABELS[role.value]) for role in invitations.invitable_roles(current_user)
    ]
    return form


def _render_invitations(form: InvitationForm, created=None, link=None, status: int = 200):
    open_ones = invitations.open_invitations(current_user)
    centre_ids = {i.centre_id for i in open_ones if i.centre_id} | (
        {created.centre_id} if created is not None and created.centre_id else set()
    )
    return (
        render_template(
            "accounts/invitations.html",
            form=form,
            created=created,
            link=link,
            invitations=open_ones,
            centre_names=invitations.centre_names(centre_ids),
            role_labels=ROLE_LABELS,
        ),
        status,
    )


def _not_a_coordinator_of_a_centre() -> bool:
    return (
        current_user.has_role(Role.CENTRE)
        and invitations.coordinator_centre_id(current_user.id) is None
    )


@bp.get("/invitations")
@can_invite
def invitations_page():
    if _not_a_coordinator_of_a_centre():
        abort(403)
    return _render_invitations(_invitation_form())


@bp.post("/invitations")
@can_invite
def create_invitation():
    form = _invitation_form()
    if not form.validate_on_submit():
        return _render_invitations(form, status=400)
    try:
        invitation, token = invitations.create_invitation(
            current_user, form.role.data, days_valid=form.days_valid.data
        )
    except invitations.InvitationNotAllowed:
        abort(403)
    except invitations.InvitationError as error:
        form.role.errors = [*form.role.errors, str(error)]
        return _render_invitations(form, status=400)
    db.session.commit()
    path = url_for("registration.register", token=token)
    link = invitations.registration_url(path, default_base=request.host_url)
    # Shown once, in this response only: the token is not stored and not put in a cookie.
    return _render_invitations(_invitation_form(), created=invitation, link=link)


@bp.post("/invitations/<id:invitation_id>/revoke")
@can_invite
def revoke_invitation(invitation_id: int):
    if RevokeInvitationForm().validate_on_submit():
        invitations.revoke_invitation(current_user, invitation_id)
        db.session.commit()
        flash("The invitation is revoked: its link no longer works.", "success")
    return redirect(url_for("registration.invitations_page"))


# --- registration -------------------------------------------------------------------------


def _render_register(form: RegistrationForm, status: int = 200, **context):
    return render_template("accounts/register.html", form=form, **context), status


def _registration_form() -> RegistrationForm:
    """The form, showing the sign-in name on offer: a new one if the person asked for it
    (CSRFProtect has checked the POST before the view runs)."""
    form = RegistrationForm()
    if _asks_for_another_name():
        form.username.data = sign_in_names.offer_new_name()
    else:
        form.username.data = sign_in_names.offered_name()
    return form


def _asks_for_another_name() -> bool:
    return request.method == "POST" and "another_name" in request.form


def _signed_in_already():
    flash("You are already signed in. Sign out first to register another account.", "info")
    return redirect(destination_url(START))


def _welcome(user, offer: invitations.CentreOffer | None):
    session.clear()  # a fresh session: nothing from before registration carries over
    login_user(user)
    flash(
        f"Welcome, {user.display_name}. Your account is ready. Your sign-in name is "
        f"{user.username}: please note it down.",
        "success",
    )
    if offer is not None and user.has_role(Role.TRAINEE):
        # Joining the centre needs the trainee's explicit consent, given on its page.
        session[OFFERED_INVITE_CODE] = offer.formatted_code
        flash(
            f"You were invited by {offer.name}. If you want to share your certification "
            f"status with this centre, its invite code {offer.formatted_code} is filled in "
            "below: tick the box to agree. You can also do this later, or never.",
            "info",
        )
        return redirect(destination_url(JOIN_CENTRE))
    return redirect(destination_url(START))


def _unusable(error: invitations.InvitationError):
    status = 404 if isinstance(error, invitations.UnknownInvitation) else 410
    return render_template("accounts/invitation_unusable.html", message=str(error)), status


def _refused(form: RegistrationForm, invitation: Invitation | None, context: dict):
    """Show the form's mistakes. A refusal counts against the invitation, so a link
    cannot be used for unlimited attempts; its last one spends it."""
    if invitation is None:
        return _render_register(form, 400, **context)
    tries_left = invitations.count_failed_try(invitation)
    db.session.commit()
    if tries_left == 0:
        return _unusable(invitations.TriedTooOften())
    return _render_register(form, 400, tries_left=tries_left, **context)


def _create_account(form: RegistrationForm, create, invitation: Invitation | None, context):
    """The registration both paths share: ``create(name, password, display, email)``."""
    if _asks_for_another_name():
        return _render_register(form, **context)
    if not form.validate_on_submit():
        if not form.errors:  # a GET
            return _render_register(form, **context)
        return _refused(form, invitation, context)
    try:
        user = create(
            form.username.data, form.password.data, form.display_name.data, form.email.data
        )
    except invitations.InvitationError as error:
        db.session.rollback()
        return _unusable(error)
    except UserError as error:
        db.session.rollback()
        if error.field == "username":  # a made-up name taken a moment ago: offer another
            form.username.data = sign_in_names.offer_new_name()
        show_error(form, error, "username")
        return _refused(form, invitation, context)
    db.session.commit()
    return _welcome(user, context["offer"])


@bp.route("/register/<token>", methods=["GET", "POST"])
@registration_limit
def register(token: str):
    if current_user.is_authenticated:
        return _signed_in_already()
    try:
        invitation = invitations.check_invitation(token)
    except invitations.InvitationError as error:
        return _unusable(error)
    context = {
        "role_label": ROLE_LABELS[invitation.role],
        "offer": invitations.centre_offer(invitation.centre_id),
    }

    def redeem(*details):
        return invitations.redeem_invitation(token, *details)

    return _create_account(_registration_form(), redeem, invitation, context)


@bp.route("/register", methods=["GET", "POST"])
@registration_limit
def register_openly():
    if not current_app.config.get("ACADEMY_OPEN_REGISTRATION"):
        # By invitation only: say so and what to do, rather than "Page not found".
        status = 403 if request.method == "POST" else 200
        return render_template("accounts/register_closed.html"), status
    if current_user.is_authenticated:
        return _signed_in_already()
    context = {"role_label": ROLE_LABELS[Role.TRAINEE.value], "offer": None}
    return _create_account(_registration_form(), invitations.register_openly, None, context)
