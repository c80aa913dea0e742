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
) -> Certificate | None:
    """Issue a certificate once per holder, subject and version; a later call renews it
    (unless ``renew`` is false).

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
    if renew:
        renewed = db.session.execute(
            update(Certificate)
            .where(*subject, Certificate.revoked_at.is_(None))
            .values(renewed_at=now, expires_at=expiry_after(now, valid_months))
            .execution_options(synchronize_session="evaluate")
        )
        if renewed.rowcount:
            return None
    if db.session.scalar(select(Certificate.id).where(*subject)):
        return None  # held already, or revoked: a revoked certificate is never renewed
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
    """Module slugs not completed and practice scenario ids not complete for this path."""
    done = progress.completed_module_slugs(user_id)
    modules = [slug for slug in path.modules if slug not in done]
    return modules, practice.practice_progress(user_id, path).open_scenarios


def _path_complete(user_id: int, path: CertificatePath) -> bool:
    """Modules first: the observed practice is read only once every module is complete."""
    done = progress.completed_module_slugs(user_id)
    if any(slug not in done for slug in path.modules):
        return False
    return practice.is_practice_complete(user_id, path)


def issue_path_certificates(
    user: User, changed_module: str | None = None, changed_path: str | None = None
) -> None:
    """Issue (or renew) every path certificate whose requirements the user now meets:
    every path with ``changed_module``, or the path ``changed_path``, or all of them.

    An observation session (``changed_path``) issues a missing certificate but renews
    none: renewal is a module's refresher, and a session marked "not yet" must not move
    an expiry date forward."""
    for path in current_catalogue().paths.values():
        if changed_module is not None and changed_module not in path.modules:
            continue
        if changed_path is not None and changed_path != path.slug:
            continue
        if _path_complete(user.id, path):
            issue_or_renew(
                user,
                "path",
                path.slug,
                path.title,
                path_version(path),
                path.valid_months,
                renew=changed_path is None,
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
class PathStanding:
    """A path as the trainee's page shows it: modules done, observed practice, and
    whether a certificate for it is held."""

    path: CertificatePath
    modules: tuple[tuple[str, str, bool], ...]  # (slug, title, completed)
    practice: practice.PracticeProgress
    certified: bool  # an unrevoked certificate for the path (at any version)

    @property
    def open_modules(self) -> int:
        return sum(1 for _, _, completed in self.modules if not completed)


def path_standings(user_id: int) -> list[PathStanding]:
    """Every path of the curriculum, in curriculum order, for this trainee."""
    catalogue = current_catalogue()
    done = progress.completed_module_slugs(user_id)
    certified = set(
        db.session.scalars(
            select(Certificate.subject_slug).filter_by(
                user_id=user_id, kind="path", revoked_at=None
            )
        )
    )
    return [
        PathStanding(
            path=path,
            modules=tuple(
                (
                    slug,
                    catalogue.modules[slug].title if slug in catalogue.modules else slug,
                    slug in done,
                )
                for slug in path.modules
            ),
            practice=practice.practice_progress(user_id, path),
            certified=path.slug in certified,
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
