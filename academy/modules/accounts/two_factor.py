"""Optional two-step sign-in with a time-based code (TOTP, RFC 6238) for trainer, centre
and admin accounts.

The shared secret is stored encrypted (Fernet) with a key derived from ``SECRET_KEY``
by HKDF, so a copy of the database alone does not reveal it. Rotating ``SECRET_KEY``
makes stored secrets unreadable: those people set up two-step sign-in again (an admin
turns it off for them; see docs/security.md).

Enrolment writes the new secret to the account but leaves ``totp_enabled_at`` empty
until a code from the app confirms it, so nothing secret waits in the session cookie
(which is signed, not encrypted).
"""

from __future__ import annotations

import base64
import hmac
import io
from functools import cache

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_login import current_user

from academy.core.clock import utcnow
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.sessions import now_seconds
from academy.modules.accounts import services
from academy.modules.accounts.models import Role, User

ELIGIBLE_ROLES = (Role.TRAINER, Role.CENTRE, Role.ADMIN)
ISSUER = "Peer Academy"
STEP_SECONDS = 30
CODE_DIGITS = 6
# Codes from the step before and after the current one still count: phone clocks drift.
ACCEPTED_STEPS = (-1, 0, 1)
PENDING_KEY = "pending_sign_in"
PENDING_SECONDS = 5 * 60
HKDF_INFO = b"peer-academy/totp-secret/v1"

WRONG_CODE = lazy_gettext("This code is not right. Check the app and type the newest code.")


def eligible(user: User) -> bool:
    """Trainees are not offered two-step sign-in: their pages stay simple."""
    return user.has_role(*ELIGIBLE_ROLES)


def is_enabled(user: User) -> bool:
    return user.totp_enabled_at is not None and user.totp_secret is not None


def required(user: User) -> bool:
    """An admin must have two-step sign-in when the installation asks for it."""
    return bool(current_app.config["ACADEMY_REQUIRE_ADMIN_2FA"]) and user.has_role(Role.ADMIN)


# --- the secret at rest -------------------------------------------------------------


@cache
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _encrypt(secret: str) -> str:
    return _fernet(current_app.config["SECRET_KEY"]).encrypt(secret.encode()).decode()


def _decrypt(stored: str | None) -> str | None:
    """The plain secret, or None if there is none or it was made with another key."""
    if not stored:
        return None
    try:
        return _fernet(current_app.config["SECRET_KEY"]).decrypt(stored.encode()).decode()
    except InvalidToken:
        return None


# --- codes --------------------------------------------------------------------------


def current_step() -> int:
    return now_seconds() // STEP_SECONDS


def code_for_step(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_SECONDS).generate_otp(step)


def _normalise_code(code: str) -> str:
    """Apps show "123 456"; people may type the space or a dash."""
    return "".join(ch for ch in code if ch not in " -\u00a0")


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to, if it is one of the accepted steps and newer
    than ``last_step`` (so a code that has been used once never works again)."""
    code = _normalise_code(code)
    if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
        return None
    now = current_step()
    for step in (now + offset for offset in ACCEPTED_STEPS):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(code_for_step(secret, step), code):
            return step
    return None


def verify_code(user: User, code: str) -> bool:
    """Check a code for an enabled account and use it up."""
    secret = _decrypt(user.totp_secret) if is_enabled(user) else None
    if secret is None:
        return False
    step = _matching_step(secret, code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


# --- enrolment ----------------------------------------------------------------------


def begin_enrolment(user: User) -> str:
    """Make a new secret for ``user`` and return it; it works only after confirmation."""
    if not eligible(user):
        raise UserError(gettext("Two-step sign-in is for trainer, centre and admin accounts."))
    if is_enabled(user):
        raise UserError(gettext("Two-step sign-in is already on."))
    secret = pyotp.random_base32()
    user.totp_secret = _encrypt(secret)
    user.totp_enabled_at = None
    user.totp_last_step = None
    return secret


def pending_secret(user: User) -> str | None:
    """The secret of an enrolment that still waits for its first code."""
    if is_enabled(user):
        return None
    return _decrypt(user.totp_secret)


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=user.username, issuer_name=ISSUER
    )


def qr_svg(uri: str) -> bytes:
    """The QR code as SVG, made here: the secret is never sent to a QR service."""
    buffer = io.BytesIO()
    qr = segno.make(uri, error="m", micro=False)
    qr.save(buffer, kind="svg", scale=5, border=4, dark="#000", light="#fff", title="QR code")
    return buffer.getvalue()


def group_secret(secret: str) -> str:
    """``ABCD EFGH …``: easier to read and to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_enrolment(user: User, code: str) -> None:
    """Turn two-step sign-in on with the first code from the app; other sessions end."""
    secret = pending_secret(user)
    if secret is None:
        raise UserError(gettext("Please start the set-up again."))
    step = _matching_step(secret, code, None)
    if step is None:
        raise UserError(str(WRONG_CODE))
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    services.end_all_sessions(user)


def disable(user: User, password: str, code: str) -> None:
    """Turn two-step sign-in off; needs the password and a current code."""
    if not services.check_password(user, password):
        raise UserError(gettext("The password is not right."), "password")
    if not verify_code(user, code):
        raise UserError(str(WRONG_CODE))
    clear(user)
    services.end_all_sessions(user)


def clear(user: User) -> None:
    """Remove the second factor (also how an admin helps someone who lost their phone)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None


# --- the sign-in step between password and session ------------------------------------


def start_pending_sign_in(user: User, next_url: str) -> None:
    """The password was right: remember who is signing in, for a few minutes, without
    signing them in. The session nonce ties it to the account's current sessions, so a
    password change meanwhile cancels it."""
    session.clear()
    session[PENDING_KEY] = {
        "user_id": user.id,
        "nonce": user.session_nonce,
        "until": now_seconds() + PENDING_SECONDS,
        "next": next_url,
    }


def pending_user() -> User | None:
    """The account waiting for its code, locked for this transaction so that parallel
    guesses are counted one after another; None when nothing waits or it expired."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    user_id, nonce, until = pending.get("user_id"), pending.get("nonce"), pending.get("until")
    if not isinstance(user_id, int) or not isinstance(nonce, str) or not isinstance(until, int):
        return None
    if until <= now_seconds():
        return None
    user = db.session.get(User, user_id, with_for_update=True, populate_existing=True)
    if user is None or not is_enabled(user):
        return None
    if not hmac.compare_digest(user.session_nonce, nonce):
        return None
    return user


def pending_next() -> str | None:
    pending = session.get(PENDING_KEY)
    target = pending.get("next") if isinstance(pending, dict) else None
    return target if isinstance(target, str) else None


def cancel_pending_sign_in() -> None:
    session.pop(PENDING_KEY, None)


def check_sign_in_code(user: User, code: str) -> bool:
    """The second step of signing in. Wrong codes count as failed sign-ins, so the
    account's lockout limits guessing even when the password is known."""
    if services.is_locked(user) or not verify_code(user, code):
        services.record_failed_attempt(user)
        return False
    services.reset_failures(user)
    return True


# --- admins who must enrol ----------------------------------------------------------

# What an admin who must enrol can still reach.
ENROLMENT_ENDPOINTS = frozenset(
    {
        "static",
        "accounts.two_factor_status",
        "accounts.two_factor_begin",
        "accounts.two_factor_setup",
        "accounts.two_factor_qr",
        "accounts.two_factor_confirm",
        "accounts.sign_out",
    }
)


def enforce_required_enrolment() -> ResponseReturnValue | None:
    """``before_request`` (see accounts' ``init_app``): with ``ACADEMY_REQUIRE_ADMIN_2FA``,
    an admin without two-step sign-in is sent to set it up and can reach nothing else
    until done."""
    if not current_app.config["ACADEMY_REQUIRE_ADMIN_2FA"]:
        return None
    if request.endpoint in ENROLMENT_ENDPOINTS or request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated or not required(current_user):
        return None
    if is_enabled(current_user):
        return None
    flash(gettext("Admin accounts need two-step sign-in. Please set it up to continue."), "info")
    return redirect(url_for("accounts.two_factor_status"))
