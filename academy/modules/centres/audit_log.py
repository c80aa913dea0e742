"""The verification audit log: every certificate check (public page, API, signed-in
coordinator) is recorded, and a centre reads the checks made on its behalf.

An entry holds when, the code, the result and who if known — never an IP address or a
user agent. Its retention is in ``centres.privacy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.core.input_checks import MAX_DATABASE_ID
from academy.core.signals import certificate_verified
from academy.modules.accounts.models import User
from academy.modules.centres import queries
from academy.modules.centres.coordinators import coordinator_centre_id
from academy.modules.centres.models import Centre, VerificationLogEntry
from academy.modules.certificates.codes import format_code

LOG_PAGE_SIZE = 50


def _on_certificate_verified(
    code: str,
    result: str,
    via: str,
    user_id: int | None = None,
    centre_id: int | None = None,
    **_: object,
) -> None:
    """Record a check: when, the code, the result, and who if known. Never an IP address
    or a user agent. The view that verified commits."""
    if centre_id is None and user_id is not None:
        centre_id = coordinator_centre_id(user_id)
    if db.session.get_bind().dialect.name == "postgresql":
        # Losing the last audit entries in a database crash is acceptable; making every
        # public check wait for the disk is not. Applies to this transaction only.
        queries.commit_asynchronously()
    # A plain INSERT, not an ORM object: every public check writes one (the hot path).
    entry = dict(code=code, result=result, via=via, user_id=user_id, centre_id=centre_id)
    queries.insert_log_entry({**entry, "checked_at": utcnow()})


def connect_signals() -> None:
    certificate_verified.connect(_on_certificate_verified)


@dataclass(frozen=True)
class LogEntry:
    checked_at: datetime
    code: str
    result: str
    via: str
    checked_by: str | None


@dataclass(frozen=True)
class LogPage:
    entries: list[LogEntry]
    page: int
    has_next: bool


def verification_log(centre: Centre, page: int = 1, per_page: int = LOG_PAGE_SIZE) -> LogPage:
    """The centre's checks, newest first; one more row than shown tells if there is more."""
    page = max(1, min(page, MAX_DATABASE_ID // per_page))
    checker = aliased(User)
    rows = db.session.execute(
        select(VerificationLogEntry, checker.display_name)
        .outerjoin(checker, checker.id == VerificationLogEntry.user_id)
        .where(VerificationLogEntry.centre_id == centre.id)
        .order_by(VerificationLogEntry.checked_at.desc(), VerificationLogEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    entries = [
        LogEntry(e.checked_at, format_code(e.code), e.result, e.via, name)
        for e, name in rows[:per_page]
    ]
    return LogPage(entries, page, len(rows) > per_page)
