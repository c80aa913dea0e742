"""Whether a certificate counts: its status (valid, expired, revoked, paused), the public
check of a typed code, and the same rules for many certificates at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.core.signals import certificate_verified
from academy.modules.certificates import queries
from academy.modules.certificates.codes import format_code, normalise_code
from academy.modules.certificates.models import Certificate
from academy.modules.certificates.services.lifecycle import is_paused

# The revocation reason when the holder deletes their account (see certificates/privacy.py).
ACCOUNT_CLOSED_REASON = "holder closed their account"


def certificate_status(certificate: Certificate, paused: bool | None = None) -> str:
    """ "valid", "expired", "revoked" or "paused" (the holder's availability is paused).

    Pass ``paused`` when it is already known, to save a query per certificate.
    """
    lapse = _lapse(
        certificate.kind,
        certificate.subject_slug,
        certificate.subject_version,
        certificate.expires_at,
        certificate.revoked_at,
        utcnow(),
        _recertify_version,
    )
    if lapse is not None:
        return lapse
    if paused is None:
        paused = certificate.user_id is not None and is_paused(certificate.user_id)
    return "paused" if paused else "valid"


def _lapse(
    kind: str,
    subject_slug: str,
    subject_version: str,
    expires_at: datetime | None,
    revoked_at: datetime | None,
    now: datetime,
    recertify_version: Callable[[str], str | None],
) -> str | None:
    """Why a certificate with these fields no longer counts, "revoked" or "expired", or
    None while it does. The one place of these rules (``certificate_status`` and
    ``ValidityTest``). ``recertify_version(slug)``: the version a module asks every holder
    to certify again for, or None; a module certificate for another version is expired."""
    if revoked_at is not None:
        return "revoked"
    if expires_at is not None and expires_at <= now:
        return "expired"
    if kind == "module" and recertify_version(subject_slug) not in (None, subject_version):
        return "expired"
    return None


def _recertify_version(slug: str) -> str | None:
    module = current_catalogue().modules.get(slug)
    return module.version if module is not None and module.recertify else None


@dataclass(frozen=True)
class Verification:
    """What anyone holding a code may learn: the status and the least needed to match it.

    Never why a certificate was revoked or a holder paused.
    """

    code: str
    status: str  # "valid", "expired", "revoked", "paused" or "unknown"
    holder_name: str | None = None
    title: str | None = None
    version: str | None = None
    issued_on: str | None = None
    expires_on: str | None = None
    revoked_on: str | None = None
    closed: bool = False  # revoked because the holder closed their account; no name left

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
                revoked_on=self.revoked_on,
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
    return Verification(
        code=code,
        status=certificate_status(certificate, certificate.holder_paused),  # type: ignore[arg-type]
        holder_name=certificate.holder_name or None,  # "" once the holder closed their account
        title=certificate.subject_title,
        version=certificate.subject_version,
        issued_on=certificate.issued_at.date().isoformat(),
        expires_on=certificate.expires_at.date().isoformat() if certificate.expires_at else None,
        revoked_on=certificate.revoked_at.date().isoformat() if certificate.revoked_at else None,
        closed=certificate.revocation_reason == ACCOUNT_CLOSED_REASON and not certificate.user_id,
    )


# --- the status of many certificates ------------------------------------------------------


class ValidityTest:
    """``certificate_status(c, paused=False) == "valid"`` for many certificates at once.

    The same rules (``_lapse``), but the clock and the catalogue are read once, when the
    test is made, not once per certificate: a clearance matrix checks hundreds. Takes the
    columns, so that rows need not become objects.
    """

    __slots__ = ("now", "recertify")

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or utcnow()
        # The version of each module that asks to recertify: older ones are superseded.
        self.recertify = {
            slug: module.version
            for slug, module in current_catalogue().modules.items()
            if module.recertify
        }

    def __call__(
        self,
        kind: str,
        subject_slug: str,
        subject_version: str,
        expires_at: datetime | None,
        revoked_at: datetime | None,
    ) -> bool:
        lapse = _lapse(
            kind,
            subject_slug,
            subject_version,
            expires_at,
            revoked_at,
            self.now,
            self.recertify.get,
        )
        return lapse is None
