from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from academy.core.extensions import db, login_manager
from academy.modules.accounts import services
from academy.modules.accounts.forms import (
    DisplayNameForm,
    PasswordChangeForm,
    SignInForm,
    SignOutForm,
)

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.sign_in"
login_manager.login_message = "Please sign in to see this page."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"
login_manager.user_loader(services.load_user_from_session)


def _safe_next(target: str | None) -> str:
    """Only follow local paths after sign-in, never another site.

    Browsers read "//host" and also "///host" as another site, so a local path starts
    with exactly one slash.
    """
    if target:
        parts = urlsplit(target)
        local = target.startswith("/") and not target.startswith("//")
        if local and not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("courses.catalogue")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("courses.catalogue"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            session.clear()  # a fresh session: nothing from before sign-in carries over
            services.touch(user)
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("The sign-in name or the password is not right.")
    return render_template("accounts/sign_in.html", form=form), 200 if not form.errors else 400


@bp.post("/sign-out")
@login_required
def sign_out():
    form = SignOutForm()
    if form.validate_on_submit():
        services.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash("You are signed out.", "info")
    return redirect(url_for("accounts.sign_in"))


@bp.get("/account")
@login_required
def account():
    return _render_account(
        DisplayNameForm(display_name=current_user.display_name), PasswordChangeForm()
    )


def _render_account(
    name_form: DisplayNameForm, password_form: PasswordChangeForm, status: int = 200
):
    return (
        render_template("accounts/account.html", name_form=name_form, password_form=password_form),
        status,
    )


@bp.post("/account/display-name")
@login_required
def change_display_name():
    form = DisplayNameForm()
    if form.validate_on_submit():
        try:
            services.change_display_name(current_user, form.display_name.data)
        except services.AccountError as error:
            form.display_name.errors.append(str(error))
        else:
            db.session.commit()
            flash("Your display name is saved.", "success")
            return redirect(url_for("accounts.account"))
    return _render_account(form, PasswordChangeForm(), 400)


@bp.post("/account/password")
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except services.AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            db.session.commit()
            # every other session is now signed out; keep this one
            login_user(current_user._get_current_object())
            flash("Your password is changed. Other devices have been signed out.", "success")
            return redirect(url_for("accounts.account"))
    return _render_account(DisplayNameForm(display_name=current_user.display_name), form, 400)
