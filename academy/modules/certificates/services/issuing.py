"""Issuing certificates: once per holder, subject and version; renewed by a refresher;
path certificates when their modules and observed practice are complete; the
certificates a holder has."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.content.model import CertificatePath
from academy.core.extensions import db
from academy.core.signals import module_completed, observation_recorded
from academy.modules.accounts.models import User
from academy.modules.certificates import queries
from academy.modules.certificates.codes import new_code, normalise_code
from academy.modules.certificates.models import Certificate
from academy.modules.certificates.rules import Rules, Standing
from academy.modules.practice import services as practice
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
    user: User,
    kind: str,
    slug: str,
    title: str,
    version: str,
    valid_months: int,
    renew: bool = True,
    latest_end: datetime | None = None,
) -> Certificate | None:
    """Issue a certificate once per holder, subject and version; a later call renews it
    (unless ``renew`` is false).

    Renewal (a refresher) moves the expiry date forward from today. A revoked
    certificate is never renewed: earning the subject again issues a new certificate
    with a new code. A new certificate replaces the holder's earlier ones for the same
    subject (other content versions). ``latest_end``: the expiry is never later (a path
    certificate ends with its module certificates). Returns the new certificate, or None
    when one existed.
    """
    now = utcnow()
    expires_at = expiry_after(now, valid_months)
    if latest_end is not None:
        expires_at = min(expires_at, latest_end)
    subject = (
        Certificate.user_id == user.id,
        Certificate.kind == kind,
        Certificate.subject_slug == slug,
        Certificate.subject_version == version,
        Certificate.revoked_at.is_(None),
    )
    # Renewing (a refresher) is the common case: one UPDATE, no object loaded first.
    if renew:
        renewed = db.session.execute(
            update(Certificate)
            .where(*subject, Certificate.replaced_at.is_(None))
            .values(renewed_at=now, expires_at=expires_at)
            .execution_options(synchronize_session="evaluate")
        )
        if renewed.rowcount:
            return None
    if db.session.scalar(select(Certificate.id).where(*subject)):
        return None  # held already
    certificate = Certificate(
        code=new_code(),
        user_id=user.id,
        holder_name=user.display_name,
        kind=kind,
        subject_slug=slug,
        subject_title=title,
        subject_version=version,
        issued_at=now,
        expires_at=expires_at,
        status_index=_free_status_index(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:  # a simultaneous request issued it a moment earlier
        return None
    db.session.execute(
        update(Certificate)
        .where(
            Certificate.user_id == user.id,
            Certificate.kind == kind,
            Certificate.subject_slug == slug,
            Certificate.id != certificate.id,
            Certificate.revoked_at.is_(None),
            Certificate.replaced_at.is_(None),
        )
        .values(replaced_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return certificate


def _module_parts(user_id: int, path: CertificatePath) -> dict[str, Certificate]:
    """Module slug -> the holder's module certificate that counts now, for the path's
    modules that have one (a path certificate is built on these)."""
    rules = Rules()
    held = db.session.scalars(
        select(Certificate).where(
            Certificate.user_id == user_id,
            Certificate.kind == "module",
            Certificate.subject_slug.in_(path.modules),
            Certificate.revoked_at.is_(None),
            Certificate.replaced_at.is_(None),
        )
    )
    return {c.subject_slug: c for c in held if rules.of(c).counts}


def path_version(parts: dict[str, Certificate], path: CertificatePath) -> str:
    """A path certificate records the versions of the module certificates it is built
    on, in the path's order (``rules.path_parts`` reads them back)."""
    return "+".join(parts[slug].subject_version for slug in path.modules)


def missing_for_path(user_id: int, path: CertificatePath) -> tuple[list[str], list[str]]:
    """Module slugs without a module certificate that counts, and practice scenario ids
    not complete, for this path."""
    parts = _module_parts(user_id, path)
    modules = [slug for slug in path.modules if slug not in parts]
    return modules, practice.practice_progress(user_id, path).open_scenarios


def issue_path_certificates(
    user: User, changed_module: str | None = None, changed_path: str | None = None
) -> None:
    """Issue (or renew) every path certificate whose requirements the user now meets:
    every path with ``changed_module``, or the path ``changed_path``, or all of them.

    A path counts only while every part of it does: each module needs a module
    certificate that counts now (not revoked, replaced or expired), and the observed
    practice must be complete. An observation session (``changed_path``) issues a
    missing certificate but renews none: renewal is a module's refresher, and a session
    marked "not yet" must not move an expiry date forward."""
    for path in current_catalogue().paths.values():
        if changed_module is not None and changed_module not in path.modules:
            continue
        if changed_path is not None and changed_path != path.slug:
            continue
        parts = _module_parts(user.id, path)
        # Modules first: the observed practice is read only once every module counts.
        if len(parts) < len(path.modules) or not practice.is_practice_complete(user.id, path):
            continue
        ends = [c.expires_at for c in parts.values() if c.expires_at is not None]
        issue_or_renew(
            user,
            "path",
            path.slug,
            path.title,
            path_version(parts, path),
            path.valid_months,
            renew=changed_path is None,
            latest_end=min(ends, default=None),
        )


def _on_module_completed(user_id: int, module_slug: str, module_version: str) -> None:
    user = db.session.get(User, user_id)
    module = current_catalogue().modules[module_slug]
    issue_or_renew(user, "module", module.slug, module.title, module_version, module.valid_months)
    issue_path_certificates(user, changed_module=module_slug)


def _on_observation_recorded(user_id: int, path_slug: str) -> None:
    issue_path_certificates(db.session.get(User, user_id), changed_path=path_slug)


def connect_signals() -> None:
    module_completed.connect(_on_module_completed)
    observation_recorded.connect(_on_observation_recorded)


# --- where a trainee stands in each path ---------------------------------------------------


@dataclass(frozen=True)
class ModuleStep:
    """One module of a path as the paths page shows it."""

    slug: str
    title: str
    completed: bool  # studied and passed, at any version
    certificate: Standing | None  # of the newest module certificate not replaced

    @property
    def done(self) -> bool:
        """It counts for the path now."""
        return self.certificate is not None and self.certificate.counts


@dataclass(frozen=True)
class PathStanding:
    """A path as the trainee's page shows it: its modules, observed practice, and the
    newest path certificate that was not replaced."""

    path: CertificatePath
    modules: tuple[ModuleStep, ...]
    practice: practice.PracticeProgress
    certificate: Standing | None

    @property
    def certified(self) -> bool:
        """A path certificate that counts now."""
        return self.certificate is not None and self.certificate.counts

    @property
    def open_modules(self) -> int:
        return sum(1 for step in self.modules if not step.done)


def path_standings(user_id: int) -> list[PathStanding]:
    """Every path of the curriculum, in curriculum order, for this trainee."""
    catalogue = current_catalogue()
    done = progress.completed_module_slugs(user_id)
    rules = Rules()
    newest: dict[tuple[str, str], Standing] = {}
    for certificate in db.session.scalars(queries.CERTIFICATES_OF_HOLDER, {"user_id": user_id}):
        if certificate.replaced_at is None:
            key = (certificate.kind, certificate.subject_slug)
            newest.setdefault(key, rules.of(certificate))
    return [
        PathStanding(
            path=path,
            modules=tuple(
                ModuleStep(
                    slug=slug,
                    title=catalogue.modules[slug].title if slug in catalogue.modules else slug,
                    completed=slug in done,
                    certificate=newest.get(("module", slug)),
                )
                for slug in path.modules
            ),
            practice=practice.practice_progress(user_id, path),
            certificate=newest.get(("path", path.slug)),
        )
        for path in catalogue.paths.values()
    ]


# --- the certificates a holder has -------------------------------------------------------


def certificates_for(user_id: int) -> list[Certificate]:
    """The holder's certificates, newest first (every certificates page: a prebuilt query)."""
    return list(db.session.scalars(queries.CERTIFICATES_OF_HOLDER, {"user_id": user_id}))


def get_certificate(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound(gettext("There is no such certificate."))
    return certificate


def get_own_certificate(user_id: int, code: str) -> Certificate:
    """The certificate with this code if it is the user's; otherwise 404."""
    normalised = normalise_code(code)
    certificate = (
        db.session.scalar(select(Certificate).filter_by(code=normalised)) if normalised else None
    )
    if certificate is None or certificate.user_id != user_id:
        raise NotFound(gettext("You have no certificate with this code."))
    return certificate
