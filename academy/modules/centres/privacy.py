"""What centres hold about a person (export) and the retention of the verification audit
log (prune). See academy/core/data_rights.py.

Closing an account needs no eraser here: memberships and a coordinator's link go with the
user row (ON DELETE CASCADE); the checks a person made stay in the centre's audit log
without them (ON DELETE SET NULL) until the log's retention ends.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import delete, func, select

from academy.core.clock import utcnow
from academy.core.data_rights import register_exporter, register_pruner, serialise_row
from academy.core.extensions import db
from academy.modules.centres.models import Centre, Coordinator, Membership, VerificationLogEntry
from academy.modules.certificates.codes import format_code

DEFAULT_AUDIT_LOG_DAYS = 180


def export_memberships(user_id: int) -> list[dict]:
    """The centres this person shares (or shared) with, and when consent was given and
    withdrawn. Joining again after withdrawing gives consent anew: the dates are the
    latest."""
    rows = db.session.execute(
        select(Centre.name, Membership)
        .join(Membership, Membership.centre_id == Centre.id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.id)
    )
    return [
        {
            "centre": name,
            "sharing": membership.withdrawn_at is None,
            **serialise_row(membership, ("consent_given_at", "withdrawn_at")),
        }
        for name, membership in rows
    ]


def export_coordination(user_id: int) -> list[dict]:
    names = db.session.scalars(
        select(Centre.name).join(Coordinator).where(Coordinator.user_id == user_id)
    )
    return [{"centre": name} for name in names]


def export_verifications(user_id: int) -> list[dict]:
    """The certificate checks this person made while signed in (the audit log)."""
    rows = db.session.scalars(
        select(VerificationLogEntry)
        .filter_by(user_id=user_id)
        .order_by(VerificationLogEntry.checked_at, VerificationLogEntry.id)
    )
    return [
        {"code": format_code(row.code), **serialise_row(row, ("checked_at", "result", "via"))}
        for row in rows
    ]


def audit_log_cutoff():
    days = current_app.config.get("ACADEMY_AUDIT_LOG_DAYS") or DEFAULT_AUDIT_LOG_DAYS
    return utcnow() - timedelta(days=int(days))


def prune_verification_log(dry_run: bool = False) -> int:
    """Delete audit entries older than ACADEMY_AUDIT_LOG_DAYS; return how many."""
    old = VerificationLogEntry.checked_at < audit_log_cutoff()
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(VerificationLogEntry).where(old))
    result = db.session.execute(
        delete(VerificationLogEntry).where(old).execution_options(synchronize_session=False)
    )
    return result.rowcount


def register(app: Flask) -> None:
    register_exporter(app, "centre_memberships", export_memberships)
    register_exporter(app, "centres_coordinated", export_coordination)
    register_exporter(app, "certificate_checks", export_verifications)
    register_pruner(app, "verification log entries past retention", prune_verification_log)
