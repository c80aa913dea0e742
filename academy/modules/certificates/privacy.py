"""What certificates hold about a person (export), and what closing an account does to
their certificates (erase). See academy/core/data_rights.py.

A certificate outlives its holder's account, so that a centre checking its code learns
that it no longer counts: it is revoked, with the reason "holder closed their account",
and the copied display name is blanked. Pauses about the person are deleted with the
account (ON DELETE CASCADE); observed practice is the practice feature's.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select, update

from academy.core.clock import utcnow
from academy.core.data_rights import (
    register_eraser,
    register_exporter,
    rows_exporter,
    serialise_row,
)
from academy.core.extensions import db
from academy.modules.certificates.codes import format_code
from academy.modules.certificates.models import Certificate, Pause
from academy.modules.certificates.services import (
    ACCOUNT_CLOSED_REASON,
    certificate_status,
    is_paused,
)

CERTIFICATE_FIELDS = (
    "holder_name",
    "kind",
    "subject_slug",
    "subject_title",
    "subject_version",
    "issued_at",
    "expires_at",
    "renewed_at",
    "revoked_at",
    "replaced_at",
)
# A trainer's note is about the person: the right of access covers it.
PAUSE_FIELDS = ("kind", "note", "started_at", "ended_at")


def export_certificates(user_id: int) -> list[dict]:
    paused = is_paused(user_id)
    rows = db.session.scalars(
        select(Certificate).filter_by(user_id=user_id).order_by(Certificate.id)
    )
    return [
        {
            "code": format_code(row.code),
            "status": certificate_status(row, paused),
            **serialise_row(row, CERTIFICATE_FIELDS),
            "revocation_reason": row.revocation_reason,
        }
        for row in rows
    ]


def erase_certificates(user_id: int) -> None:
    """Revoke the holder's certificates for good and remove every trace of the holder.

    A certificate revoked earlier keeps its date; its reason (a trainer's words about the
    person) is replaced too.
    """
    db.session.execute(
        update(Certificate)
        .where(Certificate.user_id == user_id)
        .values(
            holder_name="",
            revoked_at=func.coalesce(Certificate.revoked_at, utcnow()),
            revocation_reason=ACCOUNT_CLOSED_REASON,
            revoked_by_id=None,
            user_id=None,
        )
        .execution_options(synchronize_session=False)
    )


def register(app: Flask) -> None:
    register_exporter(app, "certificates", export_certificates)
    register_exporter(app, "pauses", rows_exporter(Pause, PAUSE_FIELDS))
    register_eraser(app, "certificates", erase_certificates)
