"""The certificates' hot-path statements, built once: SQLAlchemy reuses their compiled
form. Services run them by name; everything else is plain ORM code in services/."""

from __future__ import annotations

from sqlalchemy import bindparam, exists, select

from academy.modules.certificates.models import Certificate, ModuleVersion, Pause

# The holder's certificates, newest first: the certificates page and the trainer's page.
CERTIFICATES_OF_HOLDER = (
    select(Certificate)
    .where(Certificate.user_id == bindparam("user_id"))
    .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
)

# "self" and/or "trainer" for each open pause of a user: every certificate status asks.
OPEN_PAUSE_KINDS = select(Pause.kind).where(
    Pause.user_id == bindparam("user_id"), Pause.ended_at.is_(None)
)

# The certificate's columns and whether its holder is paused, in one statement, as a
# plain row (no ORM object): every public check of a code runs it.
CERTIFICATE_BY_CODE = select(
    *Certificate.__table__.columns,
    exists()
    .where(Pause.user_id == Certificate.user_id, Pause.ended_at.is_(None))
    .label("holder_paused"),
).where(Certificate.code == bindparam("code"))

# When each module version was first loaded (``rules.versions_seen``, once per process).
MODULE_VERSIONS_SEEN = select(
    ModuleVersion.module_slug, ModuleVersion.version, ModuleVersion.first_seen_at
)
