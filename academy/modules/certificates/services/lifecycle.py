"""After issuing: revocation for good, and pauses of a peer's availability (the peer's own
break, a trainer's suspension). Renewal is issuing again (``issuing.issue_or_renew``)."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select, update

from academy.core.clock import utcnow
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts.models import User
from academy.modules.certificates import queries
from academy.modules.certificates.models import Certificate, Pause
from academy.modules.certificates.rules import path_parts
from academy.modules.certificates.services.issuing import MAX_REASON_LENGTH

# --- revocation ---------------------------------------------------------------------------


# The reason kept on a path certificate revoked with a module certificate it is built on.
PART_REVOKED_REASON = "a module certificate it is built on was revoked"


def revoke_certificate(certificate: Certificate, reason: str, by: User) -> None:
    """Revoke for good. The reason is kept for trainers and admins, never shown outside.

    A path counts only while every part of it does: revoking a module certificate
    revokes, with it, the holder's path certificates built on it. Earning the module
    again issues a new module certificate, and then a new path certificate."""
    reason = reason.strip()
    if not reason:
        raise UserError(gettext("Please give a reason. Only trainers and admins will see it."))
    if certificate.revoked_at is not None:
        raise UserError(gettext("This certificate is already revoked."))
    now = utcnow()
    certificate.revoked_at = now
    certificate.revocation_reason = reason[:MAX_REASON_LENGTH]
    certificate.revoked_by_id = by.id
    if certificate.kind == "module" and certificate.user_id is not None:
        for path in _paths_built_on(certificate):
            path.revoked_at = now
            path.revocation_reason = PART_REVOKED_REASON
            path.revoked_by_id = by.id


def _paths_built_on(module: Certificate) -> list[Certificate]:
    """The holder's unrevoked path certificates that record this module certificate's
    version for its module."""
    held = db.session.scalars(
        select(Certificate).filter_by(user_id=module.user_id, kind="path", revoked_at=None)
    )
    return [
        path
        for path in held
        if path_parts(path.subject_slug, path.subject_version).get(module.subject_slug)
        == module.subject_version
    ]


# --- pauses (availability) ----------------------------------------------------------------


def open_pauses(user_id: int) -> list[Pause]:
    return list(
        db.session.scalars(select(Pause).filter_by(user_id=user_id).where(Pause.ended_at.is_(None)))
    )


def open_pause_kinds(user_id: int) -> set[str]:
    """ "self" and/or "trainer" while paused; empty while available."""
    return set(db.session.scalars(queries.OPEN_PAUSE_KINDS, {"user_id": user_id}))


def is_paused(user_id: int) -> bool:
    return bool(open_pause_kinds(user_id))


def paused_user_ids(user_ids: list[int]) -> set[int]:
    """Which of these users are paused, in one query (for rosters and matrices)."""
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(Pause.user_id).where(Pause.user_id.in_(user_ids), Pause.ended_at.is_(None))
        )
    )


def pause_self(user: User) -> None:
    """The peer takes a break. No reason is asked."""
    if "self" not in open_pause_kinds(user.id):
        db.session.add(Pause(user_id=user.id, kind="self", started_by_id=user.id))


def resume_self(user: User) -> None:
    """End the peer's own break. A trainer's suspension stays until a trainer lifts it."""
    _end_pauses(user.id, "self")


def suspend(trainee: User, note: str, by: User) -> None:
    if "trainer" in open_pause_kinds(trainee.id):
        raise UserError(gettext("This person is already suspended."))
    db.session.add(
        Pause(
            user_id=trainee.id,
            kind="trainer",
            note=note.strip()[:MAX_REASON_LENGTH],
            started_by_id=by.id,
        )
    )


def lift_suspension(trainee: User) -> None:
    _end_pauses(trainee.id, "trainer")


def _end_pauses(user_id: int, kind: str) -> None:
    db.session.execute(
        update(Pause)
        .where(Pause.user_id == user_id, Pause.kind == kind, Pause.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )
