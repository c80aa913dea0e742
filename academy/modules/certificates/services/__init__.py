"""The certificate rules, in three parts a reader can name:

- ``issuing``: issue once, renew with a refresher, path certificates (modules and observed
  practice), where a trainee stands in each path, the certificates a holder has;
- ``lifecycle``: revocation (with the path certificates built on a module certificate),
  and pauses (a peer's own break, a trainer's suspension);
- ``status``: a certificate's standing by the rules of ``certificates.rules`` (valid,
  expiring, refresher, paused, expired, replaced, revoked); the public check of a code;
  when each module version was first loaded.

``certificates.rules`` itself (the states, ``Rules``) may be imported by other features
that read many certificates at once (the centres' matrix, the status lists).

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
    PART_REVOKED_REASON,
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
    Verification,
    certificate_standing,
    certificate_standings,
    certificate_status,
    module_certificates_of,
    record_module_versions,
    verify_code,
)

__all__ = [
    "ACCOUNT_CLOSED_REASON",
    "DAYS_PER_MONTH",
    "MAX_REASON_LENGTH",
    "PART_REVOKED_REASON",
    "STATUS_LIST_LENGTH",
    "PathStanding",
    "Verification",
    "certificate_standing",
    "certificate_standings",
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
    "module_certificates_of",
    "open_pause_kinds",
    "open_pauses",
    "pause_self",
    "path_standings",
    "path_version",
    "record_module_versions",
    "paused_user_ids",
    "resume_self",
    "revoke_certificate",
    "suspend",
    "verify_code",
]
