"""Accounts: creating users, checking passwords, ending sessions."""

from __future__ import annotations

import hmac
import re
from functools import cache, wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import select

from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.accounts.models import Role, User, new_session_nonce

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@+-]{2,253}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MAX_DISPLAY_NAME_LENGTH = 80


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is for the user."""


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
        raise AccountError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password can have at most {MAX_PASSWORD_LENGTH} characters.")


def validate_display_name(display_name: str) -> str:
    name = " ".join(display_name.split())
    if not name:
        raise AccountError("Please choose a display name. It does not need to be your real name.")
    if len(name) > MAX_DISPLAY_NAME_LENGTH:
        raise AccountError(
            f"The display name can have at most {MAX_DISPLAY_NAME_LENGTH} characters."
        )
    return name


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def create_user(
    username: str, password: str, role: Role = Role.TRAINEE, display_name: str | None = None
) -> User:
    """Create an account. Raises AccountError with a message for the person creating it."""
    username = normalise_username(username)
    if not USERNAME_PATTERN.match(username):
        raise AccountError(
            "A sign-in name has 3 to 254 characters: letters, digits and . _ @ + - "
            "(an e-mail address works)."
        )
    if find_user(username) is not None:
        raise AccountError(f"The sign-in name {username!r} is already taken.")
    validate_password(password)
    user = User(
        username=username,
        display_name=validate_display_name(display_name or username.split("@")[0]),
        password_hash=password_hasher().hash(password),
        role=Role(role).value,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(username: str, password: str) -> User | None:
    """The user if the password is right, else None — in about the same time either way,
    so response times do not reveal which sign-in names exist."""
    hasher = password_hasher()
    user = find_user(username)
    if user is None:
        _verify(hasher, _dummy_hash(hasher), password)
        return None
    if not _verify(hasher, user.password_hash, password):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not _verify(password_hasher(), user.password_hash, current_password):
        raise AccountError("The current password is not right.")
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


def load_user_from_session(session_id: str) -> User | None:
    """Flask-Login's user loader: ``"<id>:<nonce>"`` must match the stored nonce."""
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit() or not nonce:
        return None
    user = db.session.get(User, int(user_id))
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
