"""Claiming a single-use row (an invitation, a reset link) so that two requests at the same
moment cannot both use it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.sql import ColumnElement

from academy.core.extensions import db


def claim(model: Any, row_id: int, now: datetime, *conditions: ColumnElement[bool]) -> bool:
    """Mark the row used at ``now`` if it is still unused, unexpired and meets
    ``conditions``, in one conditional UPDATE: only the request whose UPDATE changed the
    row gets True, however many passed the check before it."""
    claimed = db.session.execute(
        update(model)
        .where(model.id == row_id, model.used_at.is_(None), model.expires_at > now, *conditions)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1
