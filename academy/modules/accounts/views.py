from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user

from academy.core.destinations import START, destination_url
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.forms import show_error
from academy.core.limiter import account_change_limit, sign_in_code_limit, sign_in_limit
from academy.core.security import CLEAR_SAVED_DATA
from academy.modules.accounts import invitations, services, two_factor
from academy.modules.accounts.forms import (
    DisplayNameForm,
    PasswordChangeForm,
    SignInForm,
    SignOutForm,
    TwoFactorBeginForm,
    TwoFactorCodeForm,
    TwoFactorDisableForm,
)
from academy.modules.accounts.models import User

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None) -> str:
    """Only follow local paths after sign-in, never another site.

    Browsers read "//host" and also "///host" as another site, so a local path starts
    with exactly one slash.
    """
    if target:
        parts = urlsplit(target)
        local = target.startswith("/") and not target.startswith("//")
        if local and not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return destination_url(START)


@bp.route("/sign-in", methods=["GET", "POST"])
@sign_in_limit
def sign_in():
    if current_user.is_authenticated:
        return redirect(destination_url(START))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        db.session.commit()  # the failure count, or its reset
        if user is not None:
            target = safe_next(request.args.get("next"))
            if two_factor.is_enabled(user):
                two_factor.start_pending_sign_in(user, target)
                return redirect(url_for("accounts.sign_in_code"))
            _start_session(user)
            return redirect(target)
        # One message for every refusal: unknown name, wrong password, locked account.
        form.password.errors.append(gettext("The sign-in name or the password is not right."))
    return render_template("accounts/sign_in.html", form=form), 200 if not form.errors else 400


def _start_session(user: User) -> None:
    session.clear()  # a fresh session: nothing from before sign-in carries over
    services.touch(user)
    db.session.commit()
    login_user(user)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@sign_in_code_limit
def sign_in_code():
    """The second step for accounts with two-step sign-in."""
    if current_user.is_authenticated:
        return redirect(destination_url(START))
    user = two_factor.pending_user()
    if user is None:
        two_factor.cancel_pending_sign_in()
        flash(gettext("Please sign in again: the time for the code has run out."), "info")
        return redirect(url_for("accounts.sign_in"))
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        accepted = two_factor.check_sign_in_code(user, form.code.data)
        target = two_factor.pending_next() or destination_url(START)
        db.session.commit()  # the used step, or the failure count
        if accepted:
            _start_session(user)
            return redirect(safe_next(target))
        form.code.errors.append(str(two_factor.WRONG_CODE))
    status = 400 if form.errors else 200
    return render_template("accounts/sign_in_code.html", form=form), status


@bp.post("/sign-out")
@login_required
def sign_out():
    form = SignOutForm()
    if form.validate_on_submit():
        services.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(gettext("You are signed out."), "info")
        response = redirect(url_for("accounts.sign_in"))
        response.headers["Clear-Site-Data"] = CLEAR_SAVED_DATA
        return response
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
        render_template(
            "accounts/account.html",
            name_form=name_form,
            password_form=password_form,
            two_factor_offered=two_factor.eligible(current_user),
            can_invite=bool(invitations.invitable_roles(current_user)),
        ),
        status,
    )


@bp.post("/account/display-name")
@login_required
def change_display_name():
    form = DisplayNameForm()
    if form.validate_on_submit():
        try:
            services.change_display_name(current_user, form.display_name.data)
        except UserError as error:
            show_error(form, error, "display_name")
        else:
            db.session.commit()
            flash(gettext("Your display name is saved."), "success")
            return redirect(url_for("accounts.account"))
    return _render_account(form, PasswordChangeForm(), 400)


@bp.post("/account/password")
@login_required
@account_change_limit
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except UserError as error:
            show_error(form, error, "current_password")
        else:
            db.session.commit()
            # every other session is now signed out; keep this one
            login_user(current_user._get_current_object())
            flash(
                gettext("Your password is changed. Other devices have been signed out."),
                "success",
            )
            return redirect(url_for("accounts.account"))
    return _render_account(DisplayNameForm(display_name=current_user.display_name), form, 400)


# --- two-step sign-in (trainer, centre and admin accounts) --------------------------------

two_factor_roles = services.role_required(*two_factor.ELIGIBLE_ROLES)


@bp.get("/account/2fa")
@two_factor_roles
def two_factor_status():
    """On: how to turn it off. Off: what it is and a button to set it up."""
    return _render_two_factor(TwoFactorDisableForm())


def _render_two_factor(disable_form: TwoFactorDisableForm, status: int = 200):
    return (
        render_template(
            "accounts/two_factor_status.html",
            enabled=two_factor.is_enabled(current_user),
            required=two_factor.required(current_user),
            disable_form=disable_form,
        ),
        status,
    )


@bp.post("/account/2fa/setup")
@two_factor_roles
@account_change_limit
def two_factor_begin():
    if TwoFactorBeginForm().validate_on_submit():
        try:
            two_factor.begin_enrolment(current_user)
        except UserError as error:
            flash(str(error), "info")
            return redirect(url_for("accounts.two_factor_status"))
        db.session.commit()
    return redirect(url_for("accounts.two_factor_setup"))


@bp.get("/account/2fa/setup")
@two_factor_roles
def two_factor_setup():
    return _render_setup(TwoFactorCodeForm())


def _render_setup(form: TwoFactorCodeForm, status: int = 200):
    secret = two_factor.pending_secret(current_user)
    if secret is None:
        return redirect(url_for("accounts.two_factor_status"))
    return (
        render_template(
            "accounts/two_factor_setup.html",
            secret=two_factor.group_secret(secret),
            form=form,
        ),
        status,
    )


@bp.get("/account/2fa/qr.svg")
@two_factor_roles
def two_factor_qr():
    """The set-up QR code, drawn here (CSP allows images from this site only)."""
    secret = two_factor.pending_secret(current_user)
    if secret is None:
        abort(404)
    svg = two_factor.qr_svg(two_factor.provisioning_uri(current_user, secret))
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "no-store"  # it holds the secret
    return response


@bp.post("/account/2fa/confirm")
@two_factor_roles
@account_change_limit
def two_factor_confirm():
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        try:
            two_factor.confirm_enrolment(current_user, form.code.data)
        except UserError as error:
            show_error(form, error, "code")
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # this session stays
            flash(
                gettext("Two-step sign-in is on. Other devices have been signed out."),
                "success",
            )
            return redirect(url_for("accounts.account"))
    return _render_setup(form, 400)


@bp.post("/account/2fa/disable")
@two_factor_roles
@account_change_limit
def two_factor_disable():
    form = TwoFactorDisableForm()
    if form.validate_on_submit():
        try:
            two_factor.disable(current_user, form.password.data, form.code.data)
        except UserError as error:
            show_error(form, error, "code")
        else:
            db.session.commit()
            login_user(current_user._get_current_object())
            flash(
                gettext("Two-step sign-in is off. Other devices have been signed out."),
                "success",
            )
            return redirect(url_for("accounts.account"))
    return _render_two_factor(form, 400)
