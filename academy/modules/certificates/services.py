"""Certificates: issuing and renewing, attestations, revocation, pauses, verification."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Row, bindparam, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.content.model import CertificatePath
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.signals import certificate_verified, module_completed
from academy.modules.accounts.models import User
from academy.modules.certificates.codes import format_code, new_code, normalise_code
from academy.modules.certificates.models import AttestationRecord, Certificate, Pause
from academy.modules.progress import services as progress

DAYS_PER_MONTH = 30.44
# Bits in each published status list; a certificate's position is drawn at random.
STATUS_LIST_LENGTH = 2**21
MAX_REASON_LENGTH = 2000
# The revocation reason when the holder deletes their account (see privacy.py).
ACCOUNT_CLOSED_REASON = "holder closed their account"


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


_CERTIFICATES_OF_HOLDER = (
    select(Certificate)
    .where(Certificate.user_id == bindparam("user_id"))
    .order_by(Certificate.issued_at.desc())
)


def certificates_for(user_id: int) -> list[Certificate]:
    return list(db.session.scalars(_CERTIFICATES_OF_HOLDER, {"user_id": user_id}))


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


# --- revocation ---------------------------------------------------------------------------


def revoke_certificate(certificate: Certificate, reason: str, by: User) -> None:
    """Revoke for good. The reason is kept for trainers and admins, never shown outside."""
    reason = reason.strip()
    if not reason:
        raise UserError("Please give a reason. Only trainers and admins will see it.")
    if certificate.revoked_at is not None:
        raise UserError("This certificate is already revoked.")
    certificate.revoked_at = utcnow()
    certificate.revocation_reason = reason[:MAX_REASON_LENGTH]
    certificate.revoked_by_id = by.id


# --- pauses (availability) ----------------------------------------------------------------


def open_pauses(user_id: int) -> list[Pause]:
    return list(
        db.session.scalars(select(Pause).filter_by(user_id=user_id).where(Pause.ended_at.is_(None)))
    )


_OPEN_PAUSE_KINDS = select(Pause.kind).where(
    Pause.user_id == bindparam("user_id"), Pause.ended_at.is_(None)
)


def open_pause_kinds(user_id: int) -> set[str]:
    """ "self" and/or "trainer" while paused; empty while available."""
    return set(db.session.scalars(_OPEN_PAUSE_KINDS, {"user_id": user_id}))


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
        raise UserError("This person is already suspended.")
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


# --- status and verification --------------------------------------------------------------


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
    found = db.session.execute(_CERTIFICATE_BY_CODE, {"code": code}).first()
    result = _verification(code, found) if found else Verification(code=code, status="unknown")
    certificate_verified.send(
        code, result=result.status, via=via, user_id=user_id, centre_id=centre_id
    )
    return result


# The certificate's columns and whether its holder is paused, in one statement built
# once, as a plain row (no ORM object): every public check runs it.
_CERTIFICATE_BY_CODE = select(
    *Certificate.__table__.columns,
    exists()
    .where(Pause.user_id == Certificate.user_id, Pause.ended_at.is_(None))
    .label("holder_paused"),
).where(Certificate.code == bindparam("code"))


def _verification(code: str, certificate: Row) -> Verification:
    """``certificate``: a row of ``_CERTIFICATE_BY_CODE`` (a certificate's fields)."""
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


# --- trainer views ------------------------------------------------------------------------


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
        raise NotFound("There is no such trainee.")
    return user


def attestation_choices() -> list[tuple[str, str]]:
    """(value, label) for every practical requirement of every path: value "<path>/<id>"."""
    return [
        (f"{path.slug}/{item.id}", f"{path.title}: {item.title}")
        for path in current_catalogue().paths.values()
        for item in path.attestations
    ]


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
