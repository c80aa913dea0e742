"""Where a trainee's module certificates stand, for the pages of lower features.

The module page and the catalogue (courses) must say "renew by DATE" and what to do when
a certificate is about to end, when a new content version asks for a refresher, or when
a certificate no longer counts. Courses cannot ask certificates, a higher feature, so
certificates registers its lookup here at start-up and courses asks core: the
dependency still points one way, as with quiz waits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app


@dataclass(frozen=True)
class ModuleCertificate:
    """The trainee's newest certificate for one module, as the module page tells it."""

    state: str  # one of ``academy.modules.certificates.rules.STATES``
    renew_by: datetime | None  # naive UTC: a notice is due ("expiring", "refresher")
    ends_at: datetime | None  # when it stops (or stopped) counting
    new_version: bool  # a content version asks for a refresher
    issued_at: datetime
    renewed_at: datetime | None
    # What became of the holder's certificate for the module before this one: "revoked",
    # "replaced" (another content version), or None when this is the first.
    earlier: str | None = None

    def news_since(self, moment: datetime) -> str | None:
        """What a quiz pass at ``moment`` did to the certificate: "issued" (a new one),
        "renewed", or None. The pass issues or renews it in the same request."""
        window = timedelta(minutes=1)
        if moment <= self.issued_at <= moment + window:
            return "issued"
        if self.renewed_at is not None and moment <= self.renewed_at <= moment + window:
            return "renewed"
        return None

    @property
    def renew(self) -> bool:
        """It still counts, but the trainee should renew it by ``renew_by``."""
        return self.renew_by is not None and self.state != "expired"

    @property
    def lapsed(self) -> bool:
        """It no longer counts, and passing the quiz again earns a new one."""
        return self.state in ("expired", "revoked")


Lookup = Callable[[int], dict[str, ModuleCertificate]]
EXTENSION_KEY = "academy.module_certificate_lookup"


def register_lookup(app: Flask, lookup: Lookup) -> None:
    """``lookup(user_id)`` -> module slug -> its newest certificate; again replaces it."""
    app.extensions[EXTENSION_KEY] = lookup


def module_certificates(user_id: int) -> dict[str, ModuleCertificate]:
    """Module slug -> the user's newest certificate for it (modules without one are left
    out); empty in an app without certificates."""
    lookup = current_app.extensions.get(EXTENSION_KEY)
    return lookup(user_id) if lookup is not None else {}
