"""Issuing certificates: once per holder, subject and version; renewed by a refresher;
path certificates when their modules and practical attestations are complete; the
certificates a holder has."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.content.model import CertificatePath
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.signals import module_completed
from academy.modules.accounts.models import User
from academy.modules.certificates import queries
from academy.modules.certificates.codes import new_code, normalise_code
from academy.modules.certificates.models import AttestationRecord, Certificate
from academy.modules.progress import services as progress

DAYS_PER_MONTH = 30.44
# Bits in each published status list; a certificate's position is drawn at random.
STATUS_LIST_LENGTH = 2**21
MAX_REASON_LENGTH = 2000


def expiry_after(start: datetime, valid_months: int) -> datetime:
    return start + timedelta(days=round(valid_months * DAYS_PER_MONTH))


def _free_status_index() -> int:
    rng = secrets.SystemRandom()
    while True:
        index = rng.randrange(STATUS_LIST_LENGTH)
        taken = db.session.scalar(select(Certificate.id).filter_by(status_index=index))
        if taken is None:
            return index


# --- issuing and renewing ---------------------------------------------------------------


def issue_or_renew(
    user: User, kind: str, slug: str, title: str, version: str, valid_months: int
) -> Certificate | None:
    """Issue a certificate once per holder, subject and version; a later call renews it.

    Renewal (a refresher) moves the expiry date forward from today. A revoked
    certificate is never renewed. Returns the new certificate, or None when one existed.
    """
    now = utcnow()
    subject = (
        Certificate.user_id == user.id,
        Certificate.kind == kind,
        Certificate.subject_slug == slug,
        Certificate.subject_version == version,
    )
    # Renewing (a refresher) is the common case: one UPDATE, no object loaded first.
    renewed = db.session.execute(
        update(Certificate)
        .where(*subject, Certificate.revoked_at.is_(None))
        .values(renewed_at=now, expires_at=expiry_after(now, valid_months))
        .execution_options(synchronize_session="evaluate")
    )
    if renewed.rowcount or db.session.scalar(select(Certificate.id).where(*subject)):
        return None  # renewed, or revoked: a revoked certificate is never renewed
    certificate = Certificate(
        code=new_code(),
        user_id=user.id,
        holder_name=user.display_name,
        kind=kind,
        subject_slug=slug,
        subject_title=title,
        subject_version=version,
        issued_at=now,
        expires_at=expiry_after(now, valid_months),
        status_index=_free_status_index(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:  # a simultaneous request issued it a moment earlier
        return None
    return certificate


def path_version(path: CertificatePath) -> str:
    """A path certificate records the module versions it was earned with."""
    modules = current_catalogue().modules
    return "+".join(modules[slug].version for slug in path.modules if slug in modules)


def missing_for_path(user_id: int, path: CertificatePath) -> tuple[list[str], list[str]]:
    """Module slugs not completed and attestation ids not recorded for this path."""
    done = progress.completed_module_slugs(user_id)
    attested = attested_requirements(user_id, path.slug)
    modules = [slug for slug in path.modules if slug not in done]
    attestations = [a.id for a in path.attestations if a.id not in attested]
    return modules, attestations


def issue_path_certificates(user: User, changed_module: str | None = None) -> None:
    """Issue (or renew) every path certificate whose requirements the user now meets."""
    for path in current_catalogue().paths.values():
        if changed_module is not None and changed_module not in path.modules:
            continue
        missing_modules, missing_attestations = missing_for_path(user.id, path)
        if not missing_modules and not missing_attestations:
            issue_or_renew(
                user, "path", path.slug, path.title, path_version(path), path.valid_months
            )


def _on_module_completed(user_id: int, module_slug: str, module_version: str) -> None:
    user = db.session.get(User, user_id)
    module = current_catalogue().modules[module_slug]
    issue_or_renew(user, "module", module.slug, module.title, module_version, module.valid_months)
    issue_path_certificates(user, changed_module=module_slug)


def connect_signals() -> None:
    module_completed.connect(_on_module_completed)


# --- the certificates a holder has -------------------------------------------------------


def certificates_for(user_id: int) -> list[Certificate]:
    """The holder's certificates, newest first (every certificates page: a prebuilt query)."""
    return list(db.session.scalars(queries.CERTIFICATES_OF_HOLDER, {"user_id": user_id}))


def get_certificate(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound("There is no such certificate.")
    return certificate


def get_own_certificate(user_id: int, code: str) -> Certificate:
    """The certificate with this code if it is the user's; otherwise 404."""
    normalised = normalise_code(code)
    certificate = (
        db.session.scalar(select(Certificate).filter_by(code=normalised)) if normalised else None
    )
    if certificate is None or certificate.user_id != user_id:
        raise NotFound("You have no certificate with this code.")
    return certificate


# --- attestations -------------------------------------------------------------------------


def attested_requirements(user_id: int, path_slug: str) -> set[str]:
    return set(
        db.session.scalars(
            select(AttestationRecord.requirement_id).filter_by(user_id=user_id, path_slug=path_slug)
        )
    )


def record_attestation(
    trainee: User, path_slug: str, requirement_id: str, attested_on: date, note: str, by: User
) -> AttestationRecord:
    """A trainer attests a practical requirement; a path it completes is certified."""
    path = current_catalogue().paths.get(path_slug)
    if path is None or requirement_id not in {a.id for a in path.attestations}:
        raise UserError("This certificate path has no such practical requirement.")
    if attested_on > utcnow().date():
        raise UserError("The date of an attestation cannot be in the future.")
    if requirement_id in attested_requirements(trainee.id, path_slug):
        raise UserError("This requirement is already attested for this person.")
    record = AttestationRecord(
        user_id=trainee.id,
        path_slug=path_slug,
        requirement_id=requirement_id,
        attested_on=attested_on,
        note=note.strip()[:MAX_REASON_LENGTH],
        attested_by_id=by.id,
    )
    db.session.add(record)
    db.session.flush()
    issue_path_certificates(trainee)
    return record


def attestations_for(user_id: int) -> list[AttestationRecord]:
    return list(
        db.session.scalars(
            select(AttestationRecord)
            .filter_by(user_id=user_id)
            .order_by(AttestationRecord.attested_on.desc())
        )
    )
