"""The certificate rules, in three parts a reader can name:

- ``issuing``: issue once, renew with a refresher, path certificates (modules and observed
  practice), where a trainee stands in each path, the certificates a holder has;
- ``lifecycle``: revocation, and pauses (a peer's own break, a trainer's suspension);
- ``status``: valid, expired, revoked or paused; the public check of a code; the same
  rules for many certificates at once (``ValidityTest``).

Other features import this package (``from academy.modules.certificates import
services``), never the parts: where a function lives inside is this feature's business.
"""

from academy.modules.certificates.services.issuing import (
    DAYS_PER_MONTH,
    MAX_REASON_LENGTH,
    STATUS_LIST_LENGTH,
    PathStanding,
    certificates_for,
    connect_signals,
    expiry_after,
    get_certificate,
    get_own_certificate,
    issue_or_renew,
    issue_path_certificates,
    missing_for_path,
    path_standings,
    path_version,
)
from academy.modules.certificates.services.lifecycle import (
    is_paused,
    lift_suspension,
    open_pause_kinds,
    open_pauses,
    pause_self,
    paused_user_ids,
    resume_self,
    revoke_certificate,
    suspend,
)
from academy.modules.certificates.services.status import (
    ACCOUNT_CLOSED_REASON,
    ValidityTest,
    Verification,
    certificate_status,
    verify_code,
)

__all__ = [
    "ACCOUNT_CLOSED_REASON",
    "DAYS_PER_MONTH",
    "MAX_REASON_LENGTH",
    "STATUS_LIST_LENGTH",
    "PathStanding",
    "ValidityTest",
    "Verification",
    "certificate_status",
    "certificates_for",
    "connect_signals",
    "expiry_after",
    "get_certificate",
    "get_own_certificate",
    "is_paused",
    "issue_or_renew",
    "issue_path_certificates",
    "lift_suspension",
    "missing_for_path",
    "open_pause_kinds",
    "open_pauses",
    "pause_self",
    "path_standings",
    "path_version",
    "paused_user_ids",
    "resume_self",
    "revoke_certificate",
    "suspend",
    "verify_code",
]
