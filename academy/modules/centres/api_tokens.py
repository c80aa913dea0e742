"""API tokens: how a centre's own systems read its clearance matrix (``/api/v1/centre``).

Only a token's SHA-256 hash is stored; the plain token is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from academy.core.clock import utcnow
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts.models import User
from academy.modules.centres.models import ApiToken, Centre

MAX_TOKEN_NAME_LENGTH = 80
TOKEN_PREFIX = "pa_"  # noqa: S105 (a marker that makes leaked tokens recognisable, not a secret)
TOKEN_PREFIX_SHOWN = 10  # "pa_" and 7 characters: enough to tell tokens apart
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(centre: Centre, name: str, created_by: User) -> tuple[ApiToken, str]:
    """A new token for this centre. The plain token is returned once and never stored."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_TOKEN_NAME_LENGTH:
        raise UserError(
            gettext(
                "Give the token a name of 1 to %(max)s characters, "
                "e.g. the system that will use it.",
                max=MAX_TOKEN_NAME_LENGTH,
            ),
            field="name",
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        centre_id=centre.id,
        name=name,
        token_hash=hash_token(plain),
        prefix=plain[:TOKEN_PREFIX_SHOWN],
        created_by_id=created_by.id,
    )
    db.session.add(token)
    db.session.flush()
    return token, plain


def tokens_of(centre: Centre) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).filter_by(centre_id=centre.id).order_by(ApiToken.created_at.desc())
        )
    )


def revoke_token(centre: Centre, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.centre_id != centre.id:
        raise NotFound(gettext("This centre has no such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def authenticate_token(plain: str) -> ApiToken | None:
    """The token's record if it exists and is not revoked.

    ``last_used_at`` moves at most once a minute, so a busy client does not cause a
    write on every request.
    """
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    token = db.session.scalar(
        select(ApiToken).filter_by(token_hash=hash_token(plain), revoked_at=None)
    )
    if token is None:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        token.last_used_at = now
    return token
