"""The lifecycle of a certificate in one place: its states and what puts it in each.

Every surface reads a certificate through ``Rules``: the trainee's certificates page, the
module page and the catalogue (through ``academy.core.renewals``), /verify, the API, the
PDF, the credential's status list and the centre's clearance matrix. docs/certificates.md
has the table of what each surface shows in each state.

A certificate **counts** (clears a peer for a task) while it is ``valid``, ``expiring`` or
``refresher``. In order of precedence:

- ``revoked``: revoked for good; also a path certificate one of whose module
  certificates was revoked (``lifecycle.revoke_certificate`` revokes it with the module);
- ``replaced``: a newer certificate for the same holder and subject (another content
  version, after a refresher) took its place;
- ``expired``: its end has passed: the expiry date, or the end of the grace period after
  a content version with ``recertify: true`` (``ACADEMY_RENEWAL_DAYS``), whichever is
  first. A path certificate never outlasts its module certificates: it is issued and
  renewed with an expiry no later than theirs, and it needs a refresher when one of its
  modules does;
- ``paused``: the holder's availability is paused (their own break, or a trainer's
  suspension);
- ``refresher``: a new content version asks every holder to take a refresher; it counts
  until the end of the grace period ("renew by");
- ``expiring``: it ends within ``ACADEMY_RENEWAL_NOTICE_DAYS`` ("renew by" its end);
- ``valid``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext
from sqlalchemy import Row

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.certificates import queries
from academy.modules.certificates.models import Certificate

VALID = "valid"
EXPIRING = "expiring"
REFRESHER = "refresher"
PAUSED = "paused"
EXPIRED = "expired"
REPLACED = "replaced"
REVOKED = "revoked"

STATES = (VALID, EXPIRING, REFRESHER, PAUSED, EXPIRED, REPLACED, REVOKED)
COUNTING = frozenset({VALID, EXPIRING, REFRESHER})

# The word on every badge: on the certificates page, /verify, the PDF, the centre's peer
# page and the trainer's trainee page. Neutral: none of them says why a certificate was
# revoked or a holder paused.
STATE_WORDS = {
    VALID: lazy_gettext("Valid"),
    EXPIRING: lazy_gettext("Valid, renew soon"),
    REFRESHER: lazy_gettext("Valid, refresher needed"),
    PAUSED: lazy_gettext("Paused"),
    EXPIRED: lazy_gettext("Expired"),
    REPLACED: lazy_gettext("Replaced"),
    REVOKED: lazy_gettext("Revoked"),
}


def state_word(state: str) -> str:
    """A badge's word for a state; the five statuses of ``STATUS_OF_STATE`` are states
    too, so a page that holds only a status asks here as well (template filter
    ``certificate_word``)."""
    word = STATE_WORDS.get(state)
    return str(word) if word is not None else state.capitalize()


# The API's and the data download's ``status``: whether it counts, in five words that
# consumers written before the finer states keep understanding ("valid" counts).
STATUS_OF_STATE = {
    VALID: "valid",
    EXPIRING: "valid",
    REFRESHER: "valid",
    PAUSED: "paused",
    EXPIRED: "expired",
    REPLACED: "replaced",
    REVOKED: "revoked",
}

VERSIONS_KEY = "academy.module_versions_seen"


@dataclass(frozen=True)
class Standing:
    """Where one certificate stands now."""

    state: str
    # When it stops counting (or stopped, once expired): the earlier of its expiry and the
    # end of a refresher's grace period; None for a certificate without an end.
    ends_at: datetime | None = None
    # The day to renew by, while a notice is due (``expiring``, ``refresher``, and
    # ``paused`` when one of those would apply).
    renew_by: datetime | None = None
    # True when a content version asks for a refresher (the reason to renew).
    new_version: bool = False

    @property
    def counts(self) -> bool:
        return self.state in COUNTING

    @property
    def status(self) -> str:
        return STATUS_OF_STATE[self.state]

    @property
    def word(self) -> str:
        return str(STATE_WORDS[self.state])


class Rules:
    """The rules with the clock, the settings, the catalogue and the module versions read
    once: a clearance matrix or a status list asks about thousands of certificates."""

    __slots__ = ("now", "notice", "recertify")

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or utcnow()
        config = current_app.config
        self.notice = timedelta(days=config["ACADEMY_RENEWAL_NOTICE_DAYS"])
        grace = timedelta(days=config["ACADEMY_RENEWAL_DAYS"])
        catalogue = current_catalogue()
        asking = {slug: m.version for slug, m in catalogue.modules.items() if m.recertify}
        # Read once per process, and only when a module asks to recertify.
        seen = versions_seen() if asking else {}
        # slug -> (the version that asks every holder to recertify, the end of its grace)
        self.recertify = {
            slug: (version, (seen.get((slug, version)) or _first_use(self.now)) + grace)
            for slug, version in asking.items()
        }

    def refresher_deadline(self, kind: str, slug: str, version: str) -> datetime | None:
        """The end of the grace period when a newer module version asks this certificate's
        holder to recertify (the earliest, for a path); None when none does."""
        parts = {slug: version} if kind == "module" else path_parts(slug, version)
        ends = [
            self.recertify[module][1]
            for module, held in parts.items()
            if module in self.recertify and self.recertify[module][0] != held
        ]
        return min(ends, default=None)

    def standing(
        self,
        kind: str,
        slug: str,
        version: str,
        expires_at: datetime | None,
        revoked_at: datetime | None,
        replaced_at: datetime | None,
        paused: bool = False,
    ) -> Standing:
        if revoked_at is not None:
            return Standing(REVOKED)
        if replaced_at is not None:
            return Standing(REPLACED)
        deadline = self.refresher_deadline(kind, slug, version)
        ends = min((d for d in (expires_at, deadline) if d is not None), default=None)
        if ends is not None and ends <= self.now:
            return Standing(EXPIRED, ends_at=ends, new_version=deadline == ends)
        if deadline is not None:
            state, renew_by = REFRESHER, ends
        elif ends is not None and ends - self.now <= self.notice:
            state, renew_by = EXPIRING, ends
        else:
            state, renew_by = VALID, None
        if paused:
            state = PAUSED
        return Standing(state, ends_at=ends, renew_by=renew_by, new_version=deadline is not None)

    def of(self, certificate: Certificate | Row, paused: bool = False) -> Standing:
        """``standing`` of a certificate, or of a row with the same columns."""
        return self.standing(
            certificate.kind,
            certificate.subject_slug,
            certificate.subject_version,
            certificate.expires_at,
            certificate.revoked_at,
            certificate.replaced_at,
            paused,
        )


def path_parts(path_slug: str, version: str) -> dict[str, str]:
    """Module slug -> module version of the module certificates a path certificate was
    built on: its version is theirs joined with "+", in the path's order. Empty when the
    path is gone from the curriculum or its modules changed since."""
    path = current_catalogue().paths.get(path_slug)
    versions = version.split("+")
    if path is None or len(path.modules) != len(versions):
        return {}
    return dict(zip(path.modules, versions, strict=True))


# --- when each module version was first loaded ---------------------------------------------


def versions_seen() -> dict[tuple[str, str], datetime]:
    """(module slug, version) -> when ``academy init`` first loaded it; read once per
    process (the versions change only with a restart), refreshed by ``record``."""
    seen = current_app.extensions.get(VERSIONS_KEY)
    if seen is None:
        seen = {(s, v): at for s, v, at in db.session.execute(queries.MODULE_VERSIONS_SEEN)}
        current_app.extensions[VERSIONS_KEY] = seen
    return seen


def forget_versions_seen() -> None:
    current_app.extensions.pop(VERSIONS_KEY, None)


def _first_use(now: datetime) -> datetime:
    """A version nobody recorded (``academy init`` was not run after the content changed)
    counts from this process's first look at it, so that its deadline stays put."""
    key = VERSIONS_KEY + ".first_use"
    if key not in current_app.extensions:
        current_app.extensions[key] = now
    return current_app.extensions[key]
