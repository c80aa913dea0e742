"""The words a certificate's PDF prints, in the holder's language: the one the download
was asked in (academy/core/i18n.py). The holder's name, the module's title and the code
stay as they are."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext, lazy_gettext

from academy.core.dates import format_date
from academy.modules.certificates.models import Certificate
from academy.modules.certificates.rules import Standing

NO_END = lazy_gettext("no end date")
NOTICES = {
    "expired": lazy_gettext("EXPIRED on %(day)s \N{EM DASH} this certificate is no longer valid."),
    "replaced": lazy_gettext(
        "REPLACED on %(day)s by a newer certificate \N{EM DASH} this one is no longer valid."
    ),
    "revoked": lazy_gettext("REVOKED on %(day)s \N{EM DASH} this certificate is not valid."),
    "paused": lazy_gettext(
        "PAUSED \N{EM DASH} not valid for tasks at present. Check its status online."
    ),
}
WATERMARKS = {
    "expired": lazy_gettext("EXPIRED"),
    "replaced": lazy_gettext("REPLACED"),
    "revoked": lazy_gettext("REVOKED"),
    "paused": lazy_gettext("PAUSED"),
}


def labels() -> dict[str, str]:
    """The page's fixed words in the holder's language, read once per document."""
    return {
        "certificate": gettext("Certificate"),
        "certifies": gettext("This certifies that"),
        "completed": gettext("has completed"),
        "issued": gettext("Issued"),
        "valid_until": gettext("Valid until"),
        "code": gettext("Certificate code"),
        "scan": gettext("Scan to check"),
    }


def check_words(verify_url: str) -> str:
    return gettext("Check this certificate at %(address)s", address=verify_url)


def day_text(moment: datetime | None) -> str:
    return format_date(moment) if moment else "\N{EM DASH}"


def status_notice(certificate: Certificate, standing: Standing) -> str | None:
    """What a copy of a certificate that does not count prints in red; None while it
    counts."""
    if standing.counts:
        return None
    status = standing.status
    if status not in NOTICES:
        return gettext(
            "%(status)s \N{EM DASH} this certificate is not valid.", status=status.upper()
        )
    day = {
        "expired": standing.ends_at,
        "replaced": certificate.replaced_at,
        "revoked": certificate.revoked_at,
    }.get(status)
    return NOTICES[status] % {"day": day_text(day)}
