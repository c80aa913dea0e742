"""Self-service data rights (download my data, delete my account) and the admins'
accounts page (find an account to help back in, inactive accounts, recent recoveries)."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user
from werkzeug.exceptions import NotFound

from academy.core.destinations import HOME, destination_url
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.forms import show_error
from academy.core.limiter import account_change_limit
from academy.modules.accounts import privacy, recovery
from academy.modules.accounts.forms import (
    AccountSearchForm,
    AdminDeleteAccountForm,
    DeleteAccountForm,
    EmailForm,
)
from academy.modules.accounts.models import Role, User
from academy.modules.accounts.services import role_required

bp = Blueprint("privacy", __name__)
admin_only = role_required(Role.ADMIN)


@bp.get("/privacy")
def notice():
    """The plain-language privacy notice for trainees, for everyone, signed in or not.
    The operator's detail stays in docs/privacy.md, which is not served."""
    return render_template(
        "accounts/privacy.html",
        inactive_days=privacy.inactive_days(),
        audit_days=privacy.audit_log_days(),
    )


@bp.get("/account/data.json")
@login_required
def export():
    body = json.dumps(privacy.export_data(current_user), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="peer-academy-my-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account/email")
@login_required
def email_page():
    return _render_email(EmailForm(email=current_user.email))


def _render_email(form: EmailForm, status: int = 200):
    return render_template("accounts/email.html", form=form), status


@bp.post("/account/email")
@login_required
def change_email():
    form = EmailForm()
    if form.validate_on_submit():
        try:
            privacy.change_email(current_user, form.email.data)
        except UserError as error:
            show_error(form, error, "email")
        else:
            db.session.commit()
            saved = "saved" if current_user.email else "removed"
            flash(f"Your e-mail address is {saved}.", "success")
            return redirect(url_for("accounts.account"))
    return _render_email(form, 400)


def _render_delete(form: DeleteAccountForm, status: int = 200):
    return (
        render_template(
            "accounts/delete.html",
            form=form,
            last_admin=current_user.has_role(Role.ADMIN) and privacy.admin_count() <= 1,
        ),
        status,
    )


@bp.get("/account/delete")
@login_required
def delete_page():
    return _render_delete(DeleteAccountForm())


@bp.post("/account/delete")
@login_required
@account_change_limit
def delete_account():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _render_delete(form, 400)
    if not privacy.password_matches(current_user, form.password.data):
        form.password.errors = [*form.password.errors, "The password is not right."]
        return _render_delete(form, 400)
    try:
        privacy.delete_account(current_user._get_current_object())
    except UserError as error:
        db.session.rollback()
        show_error(form, error)
        return _render_delete(form, 400)
    db.session.commit()
    logout_user()
    session.clear()
    flash("Your account and your data are deleted. Thank you for learning with us.", "success")
    return redirect(destination_url(HOME))


# --- admins: retention --------------------------------------------------------------------


@bp.get("/admin/accounts")
@admin_only
def admin_accounts():
    form = AccountSearchForm(request.args)
    query = (form.q.data or "") if form.validate() else ""
    return render_template(
        "accounts/admin_accounts.html",
        counts=privacy.counts_by_role(),
        inactive=privacy.inactive_accounts(),
        inactive_days=privacy.inactive_days(),
        search_form=form,
        query=query,
        found=privacy.find_accounts(query),
        recoveries=recovery.recent_recoveries(),
    )


def _inactive_user(user_id: int) -> User:
    """Only inactive accounts can be deleted from the retention page."""
    user = db.session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None or not privacy.is_inactive(user):
        raise NotFound("There is no such inactive account.")
    return user


def _render_admin_delete(user: User, form: AdminDeleteAccountForm, status: int = 200):
    return (
        render_template(
            "accounts/admin_delete.html",
            user=user,
            form=form,
            inactive_days=privacy.inactive_days(),
        ),
        status,
    )


@bp.get("/admin/accounts/<id:user_id>/delete")
@admin_only
def admin_delete_page(user_id: int):
    return _render_admin_delete(_inactive_user(user_id), AdminDeleteAccountForm())


@bp.post("/admin/accounts/<id:user_id>/delete")
@admin_only
def admin_delete(user_id: int):
    user = _inactive_user(user_id)
    if user.id == current_user.id:
        abort(400)
    form = AdminDeleteAccountForm()
    if not form.validate_on_submit():
        return _render_admin_delete(user, form, 400)
    username = user.username
    try:
        privacy.delete_account(user)
    except UserError as error:
        db.session.rollback()
        show_error(form, error)
        return _render_admin_delete(user, form, 400)
    db.session.commit()
    flash(f"The account {username} and its data are deleted.", "success")
    return redirect(url_for("privacy.admin_accounts"))
