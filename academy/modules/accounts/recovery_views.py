"""A way back in (``recovery.py``): making a password reset link, using it, and an admin's
reset of a lost second factor."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.core.destinations import START, destination_url
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.forms import show_error
from academy.core.limiter import reset_link_limit
from academy.modules.accounts import invitations, recovery, two_factor
from academy.modules.accounts.forms import (
    ResetLinkForm,
    ResetPasswordForm,
    SecondFactorResetForm,
)
from academy.modules.accounts.models import Role, User
from academy.modules.accounts.services import role_required

bp = Blueprint("recovery", __name__)
can_issue = role_required(Role.TRAINER, Role.CENTRE, Role.ADMIN)
admin_only = role_required(Role.ADMIN)


# --- making a reset link --------------------------------------------------------------------


def _render_link_page(user: User, link=None, url: str | None = None):
    return render_template(
        "accounts/reset_link.html",
        user=user,
        form=ResetLinkForm(formdata=None),
        hours=recovery.link_hours(),
        link=link,
        url=url,
    )


@bp.get("/accounts/<id:user_id>/reset-link")
@can_issue
def reset_link_page(user_id: int):
    return _render_link_page(recovery.reset_target(current_user, user_id))


@bp.post("/accounts/<id:user_id>/reset-link")
@can_issue
def create_reset_link(user_id: int):
    user = recovery.reset_target(current_user, user_id)
    if not ResetLinkForm().validate_on_submit():
        return _render_link_page(user), 400
    link, token = recovery.issue_reset_link(current_user, user)
    db.session.commit()
    url = invitations.registration_url(
        url_for("recovery.reset_password", token=token), default_base=request.host_url
    )
    # Shown once, in this response only: the token is neither stored nor logged.
    return _render_link_page(user, link=link, url=url)


# --- using it -------------------------------------------------------------------------------


def _unusable():
    # One page and one status for an unknown, used, expired or replaced link.
    message = str(recovery.UnusableResetLink())
    return render_template("accounts/reset_unusable.html", message=message), 404


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@reset_link_limit
def reset_password(token: str):
    try:
        recovery.check_reset_link(token)
    except recovery.UnusableResetLink:
        return _unusable()
    if current_user.is_authenticated:
        # Following a link never signs anyone out; the link stays valid meanwhile.
        flash("You are signed in. Sign out first to use a password reset link.", "info")
        return redirect(destination_url(START))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.reset_password(token, form.password.data)
        except recovery.UnusableResetLink:
            db.session.rollback()
            return _unusable()
        except UserError as error:
            db.session.rollback()
            show_error(form, error, "password")
        else:
            db.session.commit()
            flash(
                "Your new password is saved, and every other sign-in has ended. "
                "Please sign in with your new password.",
                "success",
            )
            return redirect(url_for("accounts.sign_in"))
    status = 400 if form.errors else 200
    return render_template("accounts/reset_password.html", form=form), status


# --- an admin resets a lost second factor ---------------------------------------------------


def _render_second_factor(user: User, form: SecondFactorResetForm, status: int = 200):
    return (
        render_template(
            "accounts/second_factor_reset.html",
            user=user,
            form=form,
            enabled=two_factor.is_enabled(user),
            required=two_factor.required(user),
        ),
        status,
    )


@bp.get("/admin/accounts/<id:user_id>/two-step")
@admin_only
def second_factor_page(user_id: int):
    user = recovery.second_factor_target(current_user, user_id)
    return _render_second_factor(user, SecondFactorResetForm(formdata=None))


@bp.post("/admin/accounts/<id:user_id>/two-step")
@admin_only
def reset_second_factor(user_id: int):
    user = recovery.second_factor_target(current_user, user_id)
    form = SecondFactorResetForm()
    if not form.validate_on_submit():
        return _render_second_factor(user, form, 400)
    try:
        recovery.reset_second_factor(current_user, user)
    except UserError as error:
        db.session.rollback()
        show_error(form, error)
        return _render_second_factor(user, form, 400)
    db.session.commit()
    flash(
        f"Two-step sign-in is off for {user.username}, and their sessions have ended. "
        "They can set it up again on their account page.",
        "success",
    )
    return redirect(url_for("privacy.admin_accounts", q=user.username))
