"""What the trainer's pages need beyond the certificate and practice rules: finding
trainees."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from academy.core.extensions import db
from academy.modules.accounts.models import User


def find_trainees(query: str = "", limit: int = 50) -> list[User]:
    """Trainees whose sign-in or display name contains the query (for trainers)."""
    statement = select(User).filter_by(role="trainee").order_by(User.display_name).limit(limit)
    if query.strip():
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(
            (User.username.like(pattern)) | (func.lower(User.display_name).like(pattern))
        )
    return list(db.session.scalars(statement))


def get_trainee(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role != "trainee":
        raise NotFound(gettext("There is no such trainee."))
    return user
