"""Accounts: creating users, checking passwords, ending sessions."""

from __future__ import annotations

import hmac
import re
from datetime import timedelta
from functools import cache, wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import bindparam, select, text, update

from academy.core.clock import utcnow
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.i18n import is_supported
from academy.modules.accounts.models import Role, User, new_session_nonce

# No "@": a sign-in name is never an e-mail address (docs/privacy.md). Accounts made
# before this rule keep their names: signing in does not check the pattern.
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._+-]{2,253}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MAX_DISPLAY_NAME_LENGTH = 80


def username_taken(username: str) -> UserError:
    return UserError(
        gettext("The sign-in name '%(name)s' is already taken.", name=normalise_username(username)),
        "username",
    )


@cache
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def password_hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher(
        config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"]
    )


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not a real password, only here to take the same time")


def normalise_username(username: str) -> str:
    return username.strip().lower()


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(
            gettext("The password needs at least %(min)s characters.", min=MIN_PASSWORD_LENGTH),
            "password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(
            gettext("The password can have at most %(max)s characters.", max=MAX_PASSWORD_LENGTH),
            "password",
        )


def validate_display_name(display_name: str) -> str:
    name = " ".join(display_name.split())
    if not name:
        raise UserError(
            gettext("Please choose a display name. It does not need to be your real name."),
            "display_name",
        )
    if len(name) > MAX_DISPLAY_NAME_LENGTH:
        raise UserError(
            gettext(
                "The display name can have at most %(max)s characters.",
                max=MAX_DISPLAY_NAME_LENGTH,
            ),
            "display_name",
        )
    return name


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def create_user(
    username: str, password: str, role: Role = Role.TRAINEE, display_name: str | None = None
) -> User:
    """Create an account. Raises UserError with a message for the person creating it."""
    username = normalise_username(username)
    if "@" in username:
        raise UserError(
            gettext(
                "A sign-in name cannot be an e-mail address: it would tell who you are. "
                "Please choose a name that does not reveal you."
            ),
            "username",
        )
    if not USERNAME_PATTERN.match(username):
        raise UserError(
            gettext("A sign-in name has 3 to 254 characters: letters, digits and . _ + -"),
            "username",
        )
    if find_user(username) is not None:
        raise username_taken(username)
    validate_password(password)
    user = User(
        username=username,
        display_name=validate_display_name(display_name or username),
        password_hash=password_hasher().hash(password),
        role=Role(role).value,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(username: str, password: str) -> User | None:
    """The user if the password is right and the account is not locked, else None.

    Every refusal takes the same path, so neither the answer, nor its time, nor the
    database writes reveal whether a sign-in name exists or is locked: one password
    check (against a dummy hash for an unknown name) and one UPDATE of the row with that
    name (which matches no row for an unknown name). The caller commits.
    """
    hasher = password_hasher()
    name = normalise_username(username)
    _commit_without_waiting_for_disk()
    # Locking the row serialises attempts on one account (PostgreSQL), so parallel
    # guesses cannot all read "no failures yet" before the first one is counted.
    user = db.session.scalar(
        select(User)
        .where(User.username == name)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    password_hash = user.password_hash if user is not None else _dummy_hash(hasher)
    right = _verify(hasher, password_hash, password)
    if user is None or not right or is_locked(user):
        _record_failure(name, user)
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    if user.totp_enabled_at is None:
        reset_failures(user)  # with a second factor, only the right code resets them
    return user


def _commit_without_waiting_for_disk() -> None:
    """On PostgreSQL, let this transaction's commit return before its write reaches the
    disk. Otherwise only an existing name (a changed row) would wait for the flush:
    milliseconds that tell names apart. A crash may lose the latest failure count, which
    is harmless."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))


# Per-account lockout: the first failures are free (typos), then each failure locks the
# account for twice as long as the one before, up to an hour. It only slows guessing;
# the per-address rate limit (academy/core/limiter.py) bounds the volume.
FREE_FAILURES = 4
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)


def lock_duration(failures: int) -> timedelta | None:
    """How long ``failures`` consecutive failures lock an account: none for the first
    four, 1 minute after the fifth, doubling with each further one, at most an hour."""
    if failures <= FREE_FAILURES:
        return None
    doublings = min(failures - FREE_FAILURES - 1, 10)  # 2**10 minutes is past the cap
    return min(FIRST_LOCK * 2**doublings, LONGEST_LOCK)


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def record_failed_attempt(user: User) -> None:
    """Count a wrong password or a wrong second-factor code against ``user``."""
    _record_failure(user.username, user)


def _record_failure(username: str, user: User | None) -> None:
    """One UPDATE by name, the same statement whether or not the name exists.

    An attempt during a lock is refused without being counted: it was never checked,
    so it should not lengthen the lock the real owner is waiting out.
    """
    failures, locked_until = (user.failed_sign_ins, user.locked_until) if user else (0, None)
    counted = 0 if user is not None and is_locked(user) else 1
    if counted:
        lock = lock_duration(failures + 1)
        if lock is not None:
            locked_until = utcnow() + lock
    db.session.execute(
        update(User)
        .where(User.username == username)
        .values(failed_sign_ins=User.failed_sign_ins + counted, locked_until=locked_until)
    )


def reset_failures(user: User) -> None:
    """A complete, successful sign-in forgets earlier failures."""
    if user.failed_sign_ins or user.locked_until is not None:
        user.failed_sign_ins = 0
        user.locked_until = None


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(user: User, password: str) -> bool:
    """Whether ``password`` is this signed-in user's (to confirm a sensitive change)."""
    return _verify(password_hasher(), user.password_hash, password)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not check_password(user, current_password):
        raise UserError(gettext("The current password is not right."))
    set_password(user, new_password)


def set_password(user: User, new_password: str) -> None:
    validate_password(new_password)
    user.password_hash = password_hasher().hash(new_password)
    end_all_sessions(user)


def end_all_sessions(user: User) -> None:
    """Invalidate every session cookie issued to this user, on every device."""
    user.session_nonce = new_session_nonce()


def change_display_name(user: User, display_name: str) -> None:
    user.display_name = validate_display_name(display_name)


# Built once: every signed-in request loads its user (a prebuilt statement costs half of
# Session.get, which is always a miss here: the loader runs first in the request).
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


def load_user_from_session(session_id: str) -> User | None:
    """Flask-Login's user loader: ``"<id>:<nonce>"`` must match the stored nonce."""
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit() or not nonce:
        return None
    user = db.session.scalar(_USER_BY_ID, {"user_id": int(user_id)})
    if user is None or not hmac.compare_digest(user.session_nonce, nonce):
        return None
    return user


def touch(user: User) -> None:
    user.last_active_at = utcnow()


def role_required(*roles: Role):
    """View decorator: signed in, and with one of these roles (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def set_language(user: User, code: str) -> None:
    """Remember the interface language on the account (academy/core/i18n.py)."""
    if not is_supported(code):
        raise UserError(gettext("Please choose one of the languages listed."), "language")
    user.language = code
