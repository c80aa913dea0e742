"""Certificates: issuing once per completion, listing, and public verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.core.signals import module_completed
from academy.modules.accounts.models import User
from academy.modules.certificates.codes import format_code, new_code, normalise_code
from academy.modules.certificates.models import Certificate
from academy.modules.progress import services as progress

DAYS_PER_MONTH = 30.44


def _expiry(issued_at: datetime, valid_months: int) -> datetime:
    return issued_at + timedelta(days=round(valid_months * DAYS_PER_MONTH))


def issue_certificate(
    user: User, kind: str, slug: str, title: str, version: str, valid_months: int
) -> Certificate | None:
    """Issue a certificate unless this holder already has one for this subject and version.

    Returns the new certificate, or None when it existed already (also when a
    simultaneous request issued it a moment earlier).
    """
    existing = db.session.scalar(
        select(Certificate.id).filter_by(
            user_id=user.id, kind=kind, subject_slug=slug, subject_version=version
        )
    )
    if existing is not None:
        return None
    issued_at = utcnow()
    certificate = Certificate(
        code=new_code(),
        user_id=user.id,
        holder_name=user.display_name,
        kind=kind,
        subject_slug=slug,
        subject_title=title,
        subject_version=version,
        issued_at=issued_at,
        expires_at=_expiry(issued_at, valid_months),
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return None
    return certificate


def issue_for_completed_module(user_id: int, module_slug: str, module_version: str) -> None:
    user = db.session.get(User, user_id)
    catalogue = current_catalogue()
    module = catalogue.modules[module_slug]
    issue_certificate(
        user, "module", module.slug, module.title, module_version, module.valid_months
    )
    done = progress.completed_module_slugs(user_id)
    for path in catalogue.paths.values():
        if module_slug in path.modules and set(path.modules) <= done:
            version = "+".join(catalogue.modules[slug].version for slug in path.modules)
            issue_certificate(user, "path", path.slug, path.title, version, path.valid_months)


def _on_module_completed(user_id: int, module_slug: str, module_version: str) -> None:
    issue_for_completed_module(user_id, module_slug, module_version)


def connect_signals() -> None:
    module_completed.connect(_on_module_completed)


def certificates_for(user_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate).filter_by(user_id=user_id).order_by(Certificate.issued_at.desc())
        )
    )


@dataclass(frozen=True)
class Verification:
    """What anyone holding a code may learn: the status and the least needed to match it."""

    code: str
    status: str  # "valid", "expired", "revoked" or "unknown"
    holder_name: str | None = None
    title: str | None = None
    version: str | None = None
    issued_on: str | None = None
    expires_on: str | None = None

    @property
    def formatted_code(self) -> str:
        return format_code(self.code)

    def as_dict(self) -> dict:
        data = {"code": self.formatted_code, "status": self.status}
        if self.status != "unknown":
            data.update(
                holder_name=self.holder_name,
                title=self.title,
                version=self.version,
                issued_on=self.issued_on,
                expires_on=self.expires_on,
            )
        return data


def certificate_status(certificate: Certificate) -> str:
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.expires_at is not None and certificate.expires_at <= utcnow():
        return "expired"
    return "valid"


def verify_code(text: str) -> Verification | None:
    """Look a typed code up. None means it is not even shaped like a code."""
    code = normalise_code(text)
    if code is None:
        return None
    certificate = db.session.scalar(select(Certificate).filter_by(code=code))
    if certificate is None:
        return Verification(code=code, status="unknown")
    return Verification(
        code=code,
        status=certificate_status(certificate),
        holder_name=certificate.holder_name,
        title=certificate.subject_title,
        version=certificate.subject_version,
        issued_on=certificate.issued_at.date().isoformat(),
        expires_on=certificate.expires_at.date().isoformat() if certificate.expires_at else None,
    )
