"""The centres' hot-path statements, built once at import and run by name.

The clearance matrix is the centre's busiest page, the support contacts are read on every
lesson page (the centre facts on those that name one) and every public certificate check
writes an audit entry: their statements are built here once, with bound parameters,
instead of on every request. The services call the function named for what it reads and
stay plain ORM code otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    Executable,
    Result,
    Row,
    String,
    bindparam,
    func,
    insert,
    literal_column,
    null,
    select,
    text,
    union_all,
)

from academy.core.extensions import db
from academy.modules.accounts.models import User
from academy.modules.centres.models import (
    Centre,
    CentreFact,
    Coordinator,
    Membership,
    Task,
    TaskRequirement,
    VerificationLogEntry,
)
from academy.modules.certificates.models import Certificate, Pause

# --- tasks and their requirements ---------------------------------------------------------

# One row per requirement: (task id, title, description, kind, ref); see ``tasks.tasks_from``.
TASK_COLUMNS = (Task.id, Task.title, Task.description, TaskRequirement.kind, TaskRequirement.ref)
_TASK_ORDER = (func.lower(Task.title), Task.id, TaskRequirement.id)
_TASKS_AND_REQUIREMENTS = (
    select(*TASK_COLUMNS)
    .outerjoin(TaskRequirement, TaskRequirement.task_id == Task.id)
    .where(Task.centre_id == bindparam("centre_id"))
    .order_by(*_TASK_ORDER)
)
# The same for the centre a coordinator works for, with the centre: no row if they work for
# none, and one without a task if the centre has no tasks.
_COORDINATOR_CENTRE_AND_TASKS = (
    select(Centre.id, Centre.name, *TASK_COLUMNS)
    .select_from(Coordinator)
    .join(Centre, Centre.id == Coordinator.centre_id)
    .outerjoin(Task, Task.centre_id == Centre.id)
    .outerjoin(TaskRequirement, TaskRequirement.task_id == Task.id)
    .where(Coordinator.user_id == bindparam("user_id"))
    .order_by(*_TASK_ORDER)
)


def tasks_and_requirements(centre_id: int) -> Result:
    """The centre's tasks in title order, one row of ``TASK_COLUMNS`` per requirement."""
    return _rows(_TASKS_AND_REQUIREMENTS, {"centre_id": centre_id})


def coordinator_centre_and_tasks(user_id: int) -> list[Row]:
    """(centre id, centre name, *``TASK_COLUMNS``) of the centre this user coordinates."""
    return _rows(_COORDINATOR_CENTRE_AND_TASKS, {"user_id": user_id}).all()


# --- sharing peers ------------------------------------------------------------------------

_SHARING_PEERS = (
    select(User.id, User.display_name)
    .join(Membership, Membership.user_id == User.id)
    .where(Membership.centre_id == bindparam("centre_id"), Membership.withdrawn_at.is_(None))
    .order_by(func.lower(User.display_name), User.id)
)
# The same for one peer (their page), and with when each gave consent (the roster).
_SHARING_PEER = _SHARING_PEERS.where(User.id == bindparam("user_id"))
_SHARING_PEERS_SINCE = _SHARING_PEERS.add_columns(Membership.consent_given_at)
_SHARING_PEER_COUNT = (
    select(func.count())
    .select_from(Membership)
    .where(Membership.centre_id == bindparam("centre_id"), Membership.withdrawn_at.is_(None))
    .correlate(None)  # as a subquery of the page: all memberships, not the row's own
)
# One page, and how many share in all (the same number on every row; a subquery is
# computed once, ``count(*) over ()`` makes SQLite build every row before the page).
_SHARING_PEERS_PAGE = (
    _SHARING_PEERS.add_columns(_SHARING_PEER_COUNT.scalar_subquery().label("peer_count"))
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


def sharing_peers(centre_id: int) -> list[Row]:
    """(id, display name) of every peer sharing with the centre, in name order."""
    return _rows(_SHARING_PEERS, {"centre_id": centre_id}).all()


def sharing_peers_page(centre_id: int, limit: int, offset: int) -> list[Row]:
    """(id, display name, peer_count) of one page of them, with how many share in all."""
    params = {"centre_id": centre_id, "limit": limit, "offset": offset}
    return _rows(_SHARING_PEERS_PAGE, params).all()


def sharing_peer_count(centre_id: int) -> int:
    return _rows(_SHARING_PEER_COUNT, {"centre_id": centre_id}).scalar_one()


def sharing_peer(centre_id: int, user_id: int) -> list[Row]:
    """(id, display name) of this peer if they share with the centre: one row or none."""
    keys = {"centre_id": centre_id, "user_id": user_id}
    return db.session.execute(_SHARING_PEER, keys).all()


def sharing_peers_since(centre_id: int) -> list[Row]:
    """(id, display name, consent_given_at) of every peer sharing with the centre."""
    return db.session.execute(_SHARING_PEERS_SINCE, {"centre_id": centre_id}).all()


# --- evidence -----------------------------------------------------------------------------

# Certificates (what ``certificates.rules.Rules`` reads; a revoked or replaced one never
# counts) and open pauses, in one statement. A path's observed practice and modules count
# through its certificate (revoked with a module certificate it is built on).
_EVIDENCE = union_all(
    select(
        Certificate.user_id,
        Certificate.kind,
        Certificate.subject_slug,
        Certificate.subject_version,
        Certificate.expires_at,
        Certificate.revoked_at,
        Certificate.replaced_at,
    ).where(
        Certificate.user_id.in_(bindparam("user_ids", expanding=True)),
        Certificate.subject_slug.in_(bindparam("subjects", expanding=True)),
        Certificate.revoked_at.is_(None),
        Certificate.replaced_at.is_(None),
    ),
    select(
        Pause.user_id,
        literal_column("'pause'", String),
        literal_column("''", String),
        null(),
        null(),
        null(),
        null(),
    ).where(Pause.user_id.in_(bindparam("user_ids", expanding=True)), Pause.ended_at.is_(None)),
)


def evidence(user_ids: list[int], subjects: Sequence[str]) -> list[Row]:
    """(user id, kind, ref, version, expires_at, revoked_at, replaced_at) for these peers:
    their unrevoked, unreplaced certificates for these subjects and a row of kind "pause"
    for an open pause."""
    return _rows(_EVIDENCE, {"user_ids": user_ids, "subjects": subjects}).all()


# --- verification audit log ---------------------------------------------------------------

_INSERT_LOG_ENTRY = insert(VerificationLogEntry)
_ASYNCHRONOUS_COMMIT = text("SET LOCAL synchronous_commit TO OFF")


def insert_log_entry(entry: dict) -> None:
    """A plain INSERT, not an ORM object: every public check writes one."""
    db.session.execute(_INSERT_LOG_ENTRY, entry)


def commit_asynchronously() -> None:
    """PostgreSQL: this transaction's commit does not wait for the disk."""
    db.session.execute(_ASYNCHRONOUS_COMMIT)


# --- support contacts ---------------------------------------------------------------------

# It runs on every lesson page.
_SUPPORT_CONTACTS = (
    select(Centre.name, Centre.support_contact)
    .join(Membership, Membership.centre_id == Centre.id)
    .where(
        Membership.user_id == bindparam("user_id"),
        Membership.withdrawn_at.is_(None),
        Centre.support_contact.is_not(None),
    )
    .order_by(Centre.name)
)


def support_contacts(user_id: int) -> Result:
    """(centre name, support contact) of the centres this peer shares with, by name."""
    return db.session.execute(_SUPPORT_CONTACTS, {"user_id": user_id})


# --- centre facts -------------------------------------------------------------------------

# It runs on every lesson page that names a centre fact, instead of the support contacts'
# statement: it reads them too. A centre without facts gives one row with NULLs, so that
# a peer of two centres sees both.
_CENTRE_FACTS_OF_PEER = (
    select(Centre.id, Centre.name, Centre.support_contact, CentreFact.name, CentreFact.value)
    .join(Membership, Membership.centre_id == Centre.id)
    .outerjoin(CentreFact, CentreFact.centre_id == Centre.id)
    .where(Membership.user_id == bindparam("user_id"), Membership.withdrawn_at.is_(None))
    .order_by(Centre.name, Centre.id)
)


def centre_facts_of_peer(user_id: int) -> Result:
    """(centre id, centre name, support contact, fact name, value) of the centres this
    peer shares with, by name."""
    return _rows(_CENTRE_FACTS_OF_PEER, {"user_id": user_id})


def _rows(statement: Executable, params: dict) -> Result:
    """Plain rows of a prebuilt statement, in the session's transaction.

    On the session's connection rather than through ``Session.execute``: the ORM's
    result handling costs a third of these queries. Nothing is flushed first; the
    matrix only reads.
    """
    return db.session.connection().execute(statement, params)
