"""Whether a certificate counts, by the rules of ``certificates.rules``; the public check
of a typed code; when each module version was first loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row

from academy.core import renewals
from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.core.signals import certificate_verified
from academy.modules.certificates import queries
from academy.modules.certificates.codes import format_code, normalise_code
from academy.modules.certificates.models import Certificate, ModuleVersion
from academy.modules.certificates.rules import (
    Rules,
    Standing,
    forget_versions_seen,
    versions_seen,
)
from academy.modules.certificates.services.lifecycle import is_paused

# The revocation reason when the holder deletes their account (see certificates/privacy.py).
ACCOUNT_CLOSED_REASON = "holder closed their account"


def certificate_standing(certificate: Certificate, paused: bool | None = None) -> Standing:
    """Where the certificate stands now (``rules``: valid, expiring, refresher, paused,
    expired, replaced, revoked). Pass ``paused`` when it is already known, to save a
    query per certificate."""
    if paused is None:
        paused = certificate.user_id is not None and is_paused(certificate.user_id)
    return Rules().of(certificate, paused)


def certificate_standings(
    certificates: list[Certificate], paused: bool
) -> list[tuple[Certificate, Standing]]:
    """Each of one holder's certificates with its standing, the rules read once."""
    rules = Rules()
    return [(certificate, rules.of(certificate, paused)) for certificate in certificates]


def certificate_status(certificate: Certificate, paused: bool | None = None) -> str:
    """ "valid" (it counts), "paused", "expired", "replaced" or "revoked"."""
    return certificate_standing(certificate, paused).status


def module_certificates_of(user_id: int) -> dict[str, renewals.ModuleCertificate]:
    """Module slug -> the holder's newest certificate for it, as the module page, the
    catalogue and the quiz result tell it (``academy.core.renewals``), with what became
    of the one before. A pause is left out: it is about availability, not about what to
    study."""
    rules = Rules()
    newest: dict[str, Certificate] = {}
    earlier: dict[str, str] = {}
    # Newest first: the first of a module is the newest, the second the one before.
    for certificate in db.session.scalars(queries.CERTIFICATES_OF_HOLDER, {"user_id": user_id}):
        slug = certificate.subject_slug
        if certificate.kind != "module" or slug in earlier:
            continue
        if slug in newest:
            earlier[slug] = "revoked" if certificate.revoked_at is not None else "replaced"
        else:
            newest[slug] = certificate
    notices = {}
    for slug, certificate in newest.items():
        standing = rules.of(certificate)
        notices[slug] = renewals.ModuleCertificate(
            state=standing.state,
            renew_by=standing.renew_by,
            ends_at=standing.ends_at,
            new_version=standing.new_version,
            issued_at=certificate.issued_at,
            renewed_at=certificate.renewed_at,
            earlier=earlier.get(slug),
        )
    return notices


def record_module_versions() -> int:
    """Remember when each loaded module version was first seen (``academy init``): the
    grace period after a version with ``recertify: true`` counts from then. Returns how
    many versions were new."""
    seen = versions_seen()
    new = [
        ModuleVersion(module_slug=slug, version=module.version, first_seen_at=utcnow())
        for slug, module in current_catalogue().modules.items()
        if (slug, module.version) not in seen
    ]
    db.session.add_all(new)
    db.session.flush()
    forget_versions_seen()
    return len(new)


@dataclass(frozen=True)
class Verification:
    """What anyone holding a code may learn: the status and the least needed to match it.

    Never why a certificate was revoked or a holder paused.
    """

    code: str
    status: str  # "valid", "expired", "replaced", "revoked", "paused" or "unknown"
    state: str | None = None  # the finer state (``rules.STATES``)
    holder_name: str | None = None
    title: str | None = None
    version: str | None = None
    issued_on: str | None = None
    expires_on: str | None = None
    revoked_on: str | None = None
    replaced_on: str | None = None
    renew_by: str | None = None  # a refresher or the end is near: the holder renews by then
    new_version: bool = False  # a new content version asks the holder for a refresher
    closed: bool = False  # revoked because the holder closed their account; no name left

    @property
    def formatted_code(self) -> str:
        return format_code(self.code)

    def as_dict(self) -> dict:
        data = {"code": self.formatted_code, "status": self.status}
        if self.status != "unknown":
            data.update(
                state=self.state,
                holder_name=self.holder_name,
                title=self.title,
                version=self.version,
                issued_on=self.issued_on,
                expires_on=self.expires_on,
                revoked_on=self.revoked_on,
                replaced_on=self.replaced_on,
                renew_by=self.renew_by,
                holder_closed_account=self.closed,
            )
        return data


def verify_code(
    text: str, via: str = "page", user_id: int | None = None, centre_id: int | None = None
) -> Verification | None:
    """Look a typed code up and announce the check for the audit log.

    None means the text is not even shaped like a code (nothing is looked up or logged).
    """
    code = normalise_code(text)
    if code is None:
        return None
    found = db.session.execute(queries.CERTIFICATE_BY_CODE, {"code": code}).first()
    result = _verification(code, found) if found else Verification(code=code, status="unknown")
    certificate_verified.send(
        code, result=result.status, via=via, user_id=user_id, centre_id=centre_id
    )
    return result


def _verification(code: str, certificate: Row) -> Verification:
    """``certificate``: a row of ``queries.CERTIFICATE_BY_CODE`` (a certificate's fields)."""
    standing = Rules().of(certificate, certificate.holder_paused)
    return Verification(
        code=code,
        status=standing.status,
        state=standing.state,
        holder_name=certificate.holder_name or None,  # "" once the holder closed their account
        title=certificate.subject_title,
        version=certificate.subject_version,
        issued_on=_day(certificate.issued_at),
        # When it stops counting (or stopped): never a date in the future for an expired one.
        expires_on=_day(standing.ends_at or certificate.expires_at),
        revoked_on=_day(certificate.revoked_at),
        replaced_on=_day(certificate.replaced_at),
        renew_by=_day(standing.renew_by),
        new_version=standing.new_version,
        closed=certificate.revocation_reason == ACCOUNT_CLOSED_REASON and not certificate.user_id,
    )


def _day(moment: datetime | None) -> str | None:
    return moment.date().isoformat() if moment is not None else None
