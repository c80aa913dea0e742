"""Centres: coordinators, peers who share their certification status, tasks, the
clearance matrix, API tokens and the verification audit log.

Privacy rule for everything here: a centre sees a peer only while that peer's consent
is given and not withdrawn, and then only their display name and certificate status —
never progress, quiz answers or scores, nor why a peer is paused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import (
    Executable,
    Result,
    Row,
    String,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    null,
    select,
    text,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from werkzeug.exceptions import Forbidden, NotFound

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.input_checks import MAX_DATABASE_ID
from academy.core.signals import certificate_verified
from academy.modules.accounts.models import Role, User
from academy.modules.centres.models import (
    ApiToken,
    Centre,
    Coordinator,
    Membership,
    Task,
    TaskRequirement,
    VerificationLogEntry,
)
from academy.modules.certificates import services as certificates
from academy.modules.certificates.codes import format_code
from academy.modules.certificates.models import AttestationRecord, Certificate, Pause

EXPIRING_WITHIN = timedelta(days=60)
MAX_CENTRE_NAME_LENGTH = 120
MAX_TASK_TITLE_LENGTH = 200
MAX_TASK_DESCRIPTION_LENGTH = 2000
MAX_TOKEN_NAME_LENGTH = 80
LOG_PAGE_SIZE = 50
# No 0/O, 1/I/L: invite codes are read aloud and typed from paper.
INVITE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
INVITE_LENGTH = 10
TOKEN_PREFIX = "pa_"  # noqa: S105 (a marker that makes leaked tokens recognisable, not a secret)
TOKEN_PREFIX_SHOWN = 10  # "pa_" and 7 characters: enough to tell tokens apart
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)

REQUIREMENT_KINDS = ("module", "path", "attestation")
CellStatus = Literal["cleared", "expiring", "expired", "missing", "paused"]
STATUS_WORDS: dict[str, str] = {
    "cleared": "Cleared",
    "expiring": "Expiring",
    "expired": "Expired",
    "missing": "Missing",
    "paused": "Paused",
}


# --- centres and coordinators -------------------------------------------------------------


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


def format_invite_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_invite_code(text: str) -> str:
    """Case, spaces and dashes do not matter when a peer types the code."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")


def create_centre(name: str, coordinator: User) -> Centre:
    """Create a centre with a fresh invite code and make ``coordinator`` its coordinator."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_CENTRE_NAME_LENGTH:
        raise UserError(f"A centre name has 1 to {MAX_CENTRE_NAME_LENGTH} characters.")
    if db.session.scalar(select(Centre.id).filter_by(name=name)) is not None:
        raise UserError(f"A centre called {name!r} already exists.")
    centre = Centre(name=name, invite_code=new_invite_code())
    db.session.add(centre)
    db.session.flush()
    add_coordinator(centre, coordinator)
    return centre


def add_coordinator(centre: Centre, user: User) -> Coordinator:
    if not user.has_role(Role.CENTRE):
        raise UserError(f"{user.username!r} needs the role 'centre' to coordinate a centre.")
    existing = db.session.scalar(select(Coordinator).filter_by(user_id=user.id))
    if existing is not None and existing.centre_id != centre.id:
        raise UserError(f"{user.username!r} already coordinates another centre.")
    if existing is not None:
        return existing
    coordinator = Coordinator(centre_id=centre.id, user_id=user.id)
    db.session.add(coordinator)
    db.session.flush()
    return coordinator


def coordinator_centre_id(user_id: int) -> int | None:
    return db.session.scalar(select(Coordinator.centre_id).filter_by(user_id=user_id))


def centre_for_coordinator(user: User) -> Centre:
    """The centre this coordinator works for; 403 for anyone else."""
    centre = None
    if user.has_role(Role.CENTRE):
        centre = db.session.scalar(
            select(Centre).join(Coordinator).where(Coordinator.user_id == user.id)
        )
    if centre is None:
        raise Forbidden("Your account is not linked to a centre. Please ask an administrator.")
    return centre


def regenerate_invite_code(centre: Centre) -> str:
    """A new code for new peers; peers who already joined stay members."""
    centre.invite_code = new_invite_code()
    return centre.invite_code


# --- membership and consent ---------------------------------------------------------------


def join_centre(user: User, invite_code: str, consent: bool) -> Centre:
    """Join the centre with this invite code, sharing certification status with it.

    Consent must be explicit. Joining again after withdrawing gives consent anew.
    """
    if not user.has_role(Role.TRAINEE):
        raise UserError("Only peers in training can join a centre.")
    if not consent:
        raise UserError(
            "Please tick the box to agree to share your certification status with the centre.",
            field="consent",
        )
    code = normalise_invite_code(invite_code)
    centre = db.session.scalar(select(Centre).filter_by(invite_code=code)) if code else None
    if centre is None:
        raise UserError(
            "No centre has this invite code. Please check it with your coordinator.",
            field="invite_code",
        )
    membership = db.session.scalar(
        select(Membership).filter_by(centre_id=centre.id, user_id=user.id)
    )
    if membership is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    Membership(centre_id=centre.id, user_id=user.id, consent_given_at=utcnow())
                )
        except IntegrityError:
            pass  # the same form arrived twice at once; one membership is enough
    elif membership.withdrawn_at is None:
        raise UserError(
            f"You already share your certification status with {centre.name}.",
            field="invite_code",
        )
    else:
        membership.consent_given_at = utcnow()
        membership.withdrawn_at = None
    db.session.flush()
    return centre


def withdraw_consent(user: User, centre_id: int) -> Centre:
    """Stop sharing with this centre; from now on it sees nothing of this peer."""
    membership = _active_membership(centre_id, user.id)
    if membership is None:
        raise NotFound("You do not share your certification status with this centre.")
    membership.withdrawn_at = utcnow()
    return db.session.get(Centre, centre_id)


def centres_of(user: User) -> list[Centre]:
    """The centres this peer currently shares their certification status with."""
    return list(
        db.session.scalars(
            select(Centre)
            .join(Membership)
            .where(Membership.user_id == user.id, Membership.withdrawn_at.is_(None))
            .order_by(Centre.name)
        )
    )


def _active_membership(centre_id: int, user_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).filter_by(centre_id=centre_id, user_id=user_id, withdrawn_at=None)
    )


@dataclass(frozen=True)
class RosterEntry:
    id: int
    display_name: str
    since: datetime
    paused: bool


def roster(centre: Centre) -> list[RosterEntry]:
    """Consenting peers, with when they gave consent and whether they are paused."""
    rows = db.session.execute(_SHARING_PEERS_SINCE, {"centre_id": centre.id}).all()
    paused = certificates.paused_user_ids([row.id for row in rows])
    return [
        RosterEntry(row.id, row.display_name, row.consent_given_at, row.id in paused)
        for row in rows
    ]


# --- tasks and their requirements ---------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    kind: str  # "module", "path" or "attestation"
    ref: str
    title: str

    @property
    def value(self) -> str:
        """How a requirement travels in a form: ``"<kind>:<ref>"``."""
        return f"{self.kind}:{self.ref}"


@dataclass(frozen=True)
class RequirementGroup:
    label: str
    requirements: tuple[Requirement, ...]


def requirement_title(kind: str, ref: str) -> str:
    """The title from the loaded catalogue; the bare ref if the content is gone."""
    catalogue = current_catalogue()
    if kind == "module" and ref in catalogue.modules:
        return catalogue.modules[ref].title
    if kind == "path" and ref in catalogue.paths:
        return catalogue.paths[ref].title
    if kind == "attestation":
        path_slug, _, attestation_id = ref.partition("/")
        path = catalogue.paths.get(path_slug)
        for attestation in path.attestations if path else ():
            if attestation.id == attestation_id:
                return f"{attestation.title} (practical, {path.title})"
    return ref


def requirement_groups() -> list[RequirementGroup]:
    """Every module, path and practical attestation a task can require, for the form."""
    catalogue = current_catalogue()
    groups = [
        RequirementGroup(
            "Module certificates",
            tuple(Requirement("module", m.slug, m.title) for m in catalogue.modules.values()),
        ),
        RequirementGroup(
            "Path certificates",
            tuple(Requirement("path", p.slug, p.title) for p in catalogue.paths.values()),
        ),
        RequirementGroup(
            "Practical attestations",
            tuple(
                Requirement("attestation", ref, requirement_title("attestation", ref))
                for p in catalogue.paths.values()
                for ref in (f"{p.slug}/{a.id}" for a in p.attestations)
            ),
        ),
    ]
    return [group for group in groups if group.requirements]


def parse_requirements(values: Iterable[str]) -> list[tuple[str, str]]:
    """``"<kind>:<ref>"`` values to (kind, ref), checked against the loaded catalogue."""
    known = {r.value for group in requirement_groups() for r in group.requirements}
    parsed: list[tuple[str, str]] = []
    for value in dict.fromkeys(values):
        kind, _, ref = value.partition(":")
        if kind not in REQUIREMENT_KINDS or value not in known:
            raise UserError(
                f"{ref or value!r} is not in the current curriculum. "
                "Please reload the page and choose again.",
                field="requirements",
            )
        parsed.append((kind, ref))
    if not parsed:
        raise UserError(
            "Please choose at least one certificate or attestation this task requires.",
            field="requirements",
        )
    return parsed


def tasks_of(centre: Centre) -> list[Task]:
    return list(
        db.session.scalars(
            select(Task).filter_by(centre_id=centre.id).order_by(func.lower(Task.title), Task.id)
        )
    )


def get_task(centre: Centre, task_id: int) -> Task:
    """One of this centre's tasks; 404 for other centres' tasks, as if they did not exist."""
    task = db.session.get(Task, task_id)
    if task is None or task.centre_id != centre.id:
        raise NotFound("This centre has no such task.")
    return task


def task_requirement_values(task: Task) -> list[str]:
    return [f"{kind}:{ref}" for kind, ref in _requirements_by_task([task.id]).get(task.id, [])]


def save_task(
    centre: Centre,
    title: str,
    description: str,
    requirement_values: Iterable[str],
    task: Task | None = None,
) -> Task:
    """Create a task (or update ``task``) with exactly these requirements."""
    title = " ".join(title.split())
    if not title or len(title) > MAX_TASK_TITLE_LENGTH:
        raise UserError(f"A task title has 1 to {MAX_TASK_TITLE_LENGTH} characters.", field="title")
    description = description.strip()
    if len(description) > MAX_TASK_DESCRIPTION_LENGTH:
        raise UserError(
            f"A description has at most {MAX_TASK_DESCRIPTION_LENGTH} characters.",
            field="description",
        )
    requirements = parse_requirements(requirement_values)
    _check_title_free(centre, title, task)
    if task is None:
        task = Task(centre_id=centre.id, title=title, description=description)
        db.session.add(task)
        db.session.flush()
    task.title, task.description = title, description
    db.session.execute(delete(TaskRequirement).where(TaskRequirement.task_id == task.id))
    db.session.add_all(TaskRequirement(task_id=task.id, kind=k, ref=r) for k, r in requirements)
    db.session.flush()
    return task


def _check_title_free(centre: Centre, title: str, task: Task | None) -> None:
    statement = select(Task.id).where(
        Task.centre_id == centre.id, func.lower(Task.title) == title.lower()
    )
    if task is not None:
        statement = statement.where(Task.id != task.id)
    if db.session.scalar(statement) is not None:
        raise UserError("This centre already has a task with this title.", field="title")


def delete_task(centre: Centre, task_id: int) -> str:
    task = get_task(centre, task_id)
    title = task.title
    db.session.execute(delete(TaskRequirement).where(TaskRequirement.task_id == task.id))
    db.session.delete(task)
    return title


def _requirements_by_task(task_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(kind, ref) per task, for all the tasks in one query."""
    by_task: dict[int, list[tuple[str, str]]] = {task_id: [] for task_id in task_ids}
    if task_ids:
        rows = db.session.execute(
            select(TaskRequirement.task_id, TaskRequirement.kind, TaskRequirement.ref)
            .where(TaskRequirement.task_id.in_(task_ids))
            .order_by(TaskRequirement.id)
        )
        for task_id, kind, ref in rows:
            by_task[task_id].append((kind, ref))
    return by_task


# --- clearance ----------------------------------------------------------------------------

MATRIX_PAGE_SIZE = 25  # peers per page of the matrix: a screen or two, 250 cells with ten tasks


@dataclass(frozen=True)
class TaskSummary:
    id: int
    title: str
    description: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Cell:
    """A peer's clearance for one task (peers with the same evidence share one)."""

    status: CellStatus
    missing: tuple[str, ...] = ()  # requirement titles without any certificate/attestation
    expired: tuple[str, ...] = ()  # requirement titles whose best certificate has expired
    expires_on: date | None = None  # earliest expiry among the requirements (cleared/expiring)

    @property
    def word(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def note(self) -> str:
        """The short reason after the word on the matrix page (the peer's page has the
        details): how many requirements are missing or expired, or when an expiring
        clearance ends."""
        if self.status == "missing":
            return str(len(self.missing))
        if self.status == "expired":
            return str(len(self.expired))
        if self.status == "expiring" and self.expires_on is not None:
            return self.expires_on.isoformat()
        return ""

    @property
    def details(self) -> str:
        """What a coordinator needs to act on, as text (never colour alone)."""
        if self.status == "missing":
            extra = f"; expired: {', '.join(self.expired)}" if self.expired else ""
            return ", ".join(self.missing) + extra
        if self.status == "expired":
            return ", ".join(self.expired)
        if self.expires_on is not None:
            return f"valid until {self.expires_on.isoformat()}"
        return ""

    @property
    def summary(self) -> str:
        """One line, as in the CSV: "Missing: Safe listening and grounding"."""
        return f"{self.word}: {self.details}" if self.details else self.word

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "missing": list(self.missing),
            "expired": list(self.expired),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
        }


_PAUSED = Cell("paused")


@dataclass(frozen=True)
class PeerClearance:
    id: int
    display_name: str
    paused: bool
    cells: dict[int, Cell]  # task id -> cell


@dataclass(frozen=True)
class Matrix:
    centre_name: str
    tasks: list[TaskSummary]
    peers: list[PeerClearance]  # on this page; every sharing peer unless the matrix is paged
    peer_count: int  # every sharing peer, on all pages
    page: int = 1
    pages: int = 1
    offset: int = 0  # how many peers come before this page


# What a peer has for one requirement, in the cells' terms: nothing (absent), something
# valid (the best certificate, or the attestation), or only something expired.
_VALID = "valid"
_EXPIRED = "expired"


@dataclass
class _Evidence:
    """What one peer has for the tasks' requirements, keyed by (kind, ref), and whether
    their availability is paused."""

    standing: dict[tuple[str, str], str] = field(default_factory=dict)
    ends: dict[tuple[str, str], datetime] = field(default_factory=dict)  # valid, with an end
    paused: bool = False


def _unmet_cell(
    requirements: Iterable[Requirement], standing: dict[tuple[str, str], str]
) -> Cell | None:
    """Missing if anything required is absent, else expired if anything is; None when
    every requirement is valid."""
    missing = tuple(r.title for r in requirements if (r.kind, r.ref) not in standing)
    expired = tuple(r.title for r in requirements if standing.get((r.kind, r.ref)) == _EXPIRED)
    if missing or expired:
        return Cell("missing" if missing else "expired", missing, expired)
    return None


def _met_cell(earliest_end: datetime | None, now: datetime) -> Cell:
    """Cleared, or expiring when the earliest end is within ``EXPIRING_WITHIN``."""
    if earliest_end is None:
        return Cell("cleared")
    expiring = earliest_end - now <= EXPIRING_WITHIN
    return Cell("expiring" if expiring else "cleared", expires_on=earliest_end.date())


# Statements built once (the matrix is the centre's busiest page), run by ``_rows``.
_TASK_COLUMNS = (Task.id, Task.title, Task.description, TaskRequirement.kind, TaskRequirement.ref)
_TASK_ORDER = (func.lower(Task.title), Task.id, TaskRequirement.id)
_TASKS_AND_REQUIREMENTS = (
    select(*_TASK_COLUMNS)
    .outerjoin(TaskRequirement, TaskRequirement.task_id == Task.id)
    .where(Task.centre_id == bindparam("centre_id"))
    .order_by(*_TASK_ORDER)
)
# The same for the centre a coordinator works for, with the centre: no row if they work for
# none, and one without a task if the centre has no tasks.
_COORDINATOR_CENTRE_AND_TASKS = (
    select(Centre.id, Centre.name, *_TASK_COLUMNS)
    .select_from(Coordinator)
    .join(Centre, Centre.id == Coordinator.centre_id)
    .outerjoin(Task, Task.centre_id == Centre.id)
    .outerjoin(TaskRequirement, TaskRequirement.task_id == Task.id)
    .where(Coordinator.user_id == bindparam("user_id"))
    .order_by(*_TASK_ORDER)
)
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
# Certificates (what ``certificates.ValidityTest`` reads; a revoked one never counts),
# attestations ("<path>/<requirement id>", as a task refers to them) and open pauses, in
# one statement.
_EVIDENCE = union_all(
    select(
        Certificate.user_id,
        Certificate.kind,
        Certificate.subject_slug,
        Certificate.subject_version,
        Certificate.expires_at,
        Certificate.revoked_at,
    ).where(
        Certificate.user_id.in_(bindparam("user_ids", expanding=True)),
        Certificate.subject_slug.in_(bindparam("subjects", expanding=True)),
        Certificate.revoked_at.is_(None),
    ),
    select(
        AttestationRecord.user_id,
        literal_column("'attestation'", String),
        AttestationRecord.path_slug + "/" + AttestationRecord.requirement_id,
        null(),
        null(),
        null(),
    ).where(AttestationRecord.user_id.in_(bindparam("user_ids", expanding=True))),
    select(
        Pause.user_id,
        literal_column("'pause'", String),
        literal_column("''", String),
        null(),
        null(),
        null(),
    ).where(Pause.user_id.in_(bindparam("user_ids", expanding=True)), Pause.ended_at.is_(None)),
)


def _rows(statement: Executable, params: dict) -> Result:
    """Plain rows of a prebuilt statement, in the session's transaction.

    On the session's connection rather than through ``Session.execute``: the ORM's
    result handling costs a third of these queries. Nothing is flushed first; the
    matrix only reads.
    """
    return db.session.connection().execute(statement, params)


def _task_summaries(centre_id: int) -> list[TaskSummary]:
    """The centre's tasks in title order, each with its requirements, in one query."""
    return _tasks_from(_rows(_TASKS_AND_REQUIREMENTS, {"centre_id": centre_id}))


def _tasks_from(rows: Iterable[Sequence]) -> list[TaskSummary]:
    """Tasks from rows of ``_TASK_COLUMNS``, one per requirement (outer joins: a task
    without requirements has one row with none, a centre without tasks one with none)."""
    tasks: dict[int, tuple[str, str, list[Requirement]]] = {}
    for task_id, title, description, kind, ref in rows:
        if task_id is None:
            continue
        if task_id not in tasks:
            tasks[task_id] = (title, description, [])
        if kind is not None:
            tasks[task_id][2].append(Requirement(kind, ref, requirement_title(kind, ref)))
    return [
        TaskSummary(task_id, title, description, tuple(requirements))
        for task_id, (title, description, requirements) in tasks.items()
    ]


def _evidence(user_ids: list[int], tasks: list[TaskSummary], now: datetime) -> dict[int, _Evidence]:
    """Everything the cells need, for all these peers, in one query."""
    evidence = {user_id: _Evidence() for user_id in user_ids}
    if not user_ids:
        return evidence
    subjects = {r.ref for task in tasks for r in task.requirements if r.kind != "attestation"}
    valid = certificates.ValidityTest(now)
    # Per (peer, kind, subject) the best certificate: valid beats expired, then no end
    # beats any end, then the later end wins. The content version does not matter unless
    # the certificates feature says it makes the certificate expired (``ValidityTest``).
    best: dict[tuple[int, str, str], tuple[bool, bool, datetime]] = {}
    params = {"user_ids": user_ids, "subjects": sorted(subjects)}
    # Unpacked: reading a row's columns by name costs more than the rest of the loop.
    for user_id, kind, ref, version, expires_at, revoked_at in _rows(_EVIDENCE, params).all():
        if kind == "pause":
            evidence[user_id].paused = True
            continue
        if kind == "attestation":
            evidence[user_id].standing[kind, ref] = _VALID
            continue
        is_valid = valid(kind, ref, version, expires_at, revoked_at)
        rank = (is_valid, expires_at is None, expires_at or datetime.min)
        key = (user_id, kind, ref)
        if key not in best or rank > best[key]:
            best[key] = rank
    for (user_id, kind, ref), (is_valid, unending, end) in best.items():
        held = evidence[user_id]
        held.standing[kind, ref] = _VALID if is_valid else _EXPIRED
        if is_valid and not unending:
            held.ends[kind, ref] = end
    return evidence


def _clearances(tasks: list[TaskSummary], peers: Iterable[tuple[int, str]]) -> list[PeerClearance]:
    """The cells of these (id, display name) peers. Precedence: paused > missing > expired
    > expiring > cleared.

    Memoised: peers with the same standing for a task's requirements share the cell, and
    where all of them are valid, so do peers whose earliest certificate ends at the same
    time (the same cell object; the page renders each distinct cell once).
    """
    peers = list(peers)
    now = utcnow()
    evidence = _evidence([user_id for user_id, _ in peers], tasks, now)
    keyed = [(task, tuple((r.kind, r.ref) for r in task.requirements)) for task in tasks]
    unmet: dict[tuple, Cell | None] = {}  # (task id, standing of each requirement) -> cell
    met: dict[datetime | None, Cell] = {}  # earliest end -> cell
    clearances = []
    for user_id, display_name in peers:
        held = evidence[user_id]
        if held.paused:
            cells = dict.fromkeys((task.id for task in tasks), _PAUSED)
        else:
            cells = {}
            for task, keys in keyed:
                key = (task.id, *map(held.standing.get, keys))
                if key in unmet:
                    cell = unmet[key]
                else:
                    cell = unmet[key] = _unmet_cell(task.requirements, held.standing)
                if cell is None:
                    earliest = min(filter(None, map(held.ends.get, keys)), default=None)
                    cell = met.get(earliest)
                    if cell is None:
                        cell = met[earliest] = _met_cell(earliest, now)
                cells[task.id] = cell
        clearances.append(PeerClearance(user_id, display_name, held.paused, cells))
    return clearances


def clearance_matrix(centre: Centre, page: int | None = None) -> Matrix:
    """Consenting peers × the centre's tasks, in a fixed number of queries.

    With ``page``, the peers of that page only (``MATRIX_PAGE_SIZE``, in name order; a
    page past the last shows the last); without, every peer (the API and the CSV).
    """
    return _matrix(centre.id, centre.name, _task_summaries(centre.id), page)


def coordinator_matrix(user: User, page: int | None = None) -> Matrix:
    """``clearance_matrix`` of the centre this coordinator works for, found in the same
    query as its tasks; the 403 of ``centre_for_coordinator`` for anyone else."""
    rows = _rows(_COORDINATOR_CENTRE_AND_TASKS, {"user_id": user.id}).all()
    if not rows or not user.has_role(Role.CENTRE):
        return clearance_matrix(centre_for_coordinator(user), page)
    centre_id, centre_name = rows[0][:2]
    return _matrix(centre_id, centre_name, _tasks_from(row[2:] for row in rows), page)


def _matrix(centre_id: int, centre_name: str, tasks: list[TaskSummary], page: int | None) -> Matrix:
    if page is None:
        peers = _rows(_SHARING_PEERS, {"centre_id": centre_id}).all()
        return Matrix(centre_name, tasks, _clearances(tasks, peers), len(peers))
    page = max(1, min(page, MAX_DATABASE_ID // MATRIX_PAGE_SIZE))
    peers = _peer_page(centre_id, page)
    if not peers and page > 1:  # past the last page, e.g. after peers stopped sharing
        count = _rows(_SHARING_PEER_COUNT, {"centre_id": centre_id}).scalar_one()
        page = max(1, math.ceil(count / MATRIX_PAGE_SIZE))
        peers = _peer_page(centre_id, page)
    count = peers[0].peer_count if peers else 0
    return Matrix(
        centre_name,
        tasks,
        _clearances(tasks, (peer[:2] for peer in peers)),
        count,
        page=page,
        pages=max(1, math.ceil(count / MATRIX_PAGE_SIZE)),
        offset=(page - 1) * MATRIX_PAGE_SIZE,
    )


def _peer_page(centre_id: int, page: int) -> list[Row]:
    params = {
        "centre_id": centre_id,
        "limit": MATRIX_PAGE_SIZE,
        "offset": (page - 1) * MATRIX_PAGE_SIZE,
    }
    return _rows(_SHARING_PEERS_PAGE, params).all()


# --- one peer -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateSummary:
    """A certificate as a centre may see it: what, status, dates and code."""

    title: str
    kind: str
    status: str
    code: str
    issued_on: date
    expires_on: date | None

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "status": self.status,
            "code": self.code,
            "issued_on": self.issued_on.isoformat(),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
        }


@dataclass(frozen=True)
class PeerDetail:
    centre_name: str
    tasks: list[TaskSummary]
    peer: PeerClearance
    certificates: list[CertificateSummary]


def peer_detail(centre: Centre, user_id: int) -> PeerDetail:
    """One sharing peer × all tasks, with their certificates; 404 unless they share."""
    keys = {"centre_id": centre.id, "user_id": user_id}
    peers = db.session.execute(_SHARING_PEER, keys).all()
    if not peers:
        raise NotFound("No peer with this number shares their certification status with you.")
    tasks = _task_summaries(centre.id)
    clearance = _clearances(tasks, peers)[0]
    held = [
        CertificateSummary(
            title=c.subject_title,
            kind=c.kind,
            status=certificates.certificate_status(c, paused=clearance.paused),
            code=format_code(c.code),
            issued_on=c.issued_at.date(),
            expires_on=c.expires_at.date() if c.expires_at else None,
        )
        for c in certificates.certificates_for(user_id)
    ]
    return PeerDetail(centre.name, tasks, clearance, held)


# --- CSV ----------------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: make it plain text."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def matrix_csv(matrix: Matrix) -> str:
    """The matrix as CSV: one row per peer, one column per task, same words as the page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(v) for v in ["Peer", *(task.title for task in matrix.tasks)]])
    # Peers with the same evidence share cell objects: each one's text is made once.
    texts: dict[int, str] = {}
    for peer in matrix.peers:
        row = [csv_safe(peer.display_name)]
        for task in matrix.tasks:
            cell = peer.cells[task.id]
            text = texts.get(id(cell))
            if text is None:
                text = texts[id(cell)] = csv_safe(cell.summary)
            row.append(text)
        writer.writerow(row)
    return buffer.getvalue()


# --- API tokens ---------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(centre: Centre, name: str, created_by: User) -> tuple[ApiToken, str]:
    """A new token for this centre. The plain token is returned once and never stored."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_TOKEN_NAME_LENGTH:
        raise UserError(
            f"Give the token a name of 1 to {MAX_TOKEN_NAME_LENGTH} characters, "
            "e.g. the system that will use it.",
            field="name",
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        centre_id=centre.id,
        name=name,
        token_hash=hash_token(plain),
        prefix=plain[:TOKEN_PREFIX_SHOWN],
        created_by_id=created_by.id,
    )
    db.session.add(token)
    db.session.flush()
    return token, plain


def tokens_of(centre: Centre) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).filter_by(centre_id=centre.id).order_by(ApiToken.created_at.desc())
        )
    )


def revoke_token(centre: Centre, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.centre_id != centre.id:
        raise NotFound("This centre has no such token.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def authenticate_token(plain: str) -> ApiToken | None:
    """The token's record if it exists and is not revoked.

    ``last_used_at`` moves at most once a minute, so a busy client does not cause a
    write on every request.
    """
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    token = db.session.scalar(
        select(ApiToken).filter_by(token_hash=hash_token(plain), revoked_at=None)
    )
    if token is None:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        token.last_used_at = now
    return token


def get_centre(centre_id: int) -> Centre:
    centre = db.session.get(Centre, centre_id)
    if centre is None:
        raise NotFound("There is no such centre.")
    return centre


# --- verification audit log ---------------------------------------------------------------


_INSERT_LOG_ENTRY = insert(VerificationLogEntry)
_ASYNCHRONOUS_COMMIT = text("SET LOCAL synchronous_commit TO OFF")


def _on_certificate_verified(
    code: str,
    result: str,
    via: str,
    user_id: int | None = None,
    centre_id: int | None = None,
    **_: object,
) -> None:
    """Record a check: when, the code, the result, and who if known. Never an IP address
    or a user agent. The view that verified commits."""
    if centre_id is None and user_id is not None:
        centre_id = coordinator_centre_id(user_id)
    if db.session.get_bind().dialect.name == "postgresql":
        # Losing the last audit entries in a database crash is acceptable; making every
        # public check wait for the disk is not. Applies to this transaction only.
        db.session.execute(_ASYNCHRONOUS_COMMIT)
    # A plain INSERT, not an ORM object: every public check writes one (the hot path).
    entry = dict(code=code, result=result, via=via, user_id=user_id, centre_id=centre_id)
    db.session.execute(_INSERT_LOG_ENTRY, {**entry, "checked_at": utcnow()})


def connect_signals() -> None:
    certificate_verified.connect(_on_certificate_verified)


@dataclass(frozen=True)
class LogEntry:
    checked_at: datetime
    code: str
    result: str
    via: str
    checked_by: str | None


@dataclass(frozen=True)
class LogPage:
    entries: list[LogEntry]
    page: int
    has_next: bool


def verification_log(centre: Centre, page: int = 1, per_page: int = LOG_PAGE_SIZE) -> LogPage:
    """The centre's checks, newest first; one more row than shown tells if there is more."""
    page = max(1, min(page, MAX_DATABASE_ID // per_page))
    checker = aliased(User)
    rows = db.session.execute(
        select(VerificationLogEntry, checker.display_name)
        .outerjoin(checker, checker.id == VerificationLogEntry.user_id)
        .where(VerificationLogEntry.centre_id == centre.id)
        .order_by(VerificationLogEntry.checked_at.desc(), VerificationLogEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    entries = [
        LogEntry(e.checked_at, format_code(e.code), e.result, e.via, name)
        for e, name in rows[:per_page]
    ]
    return LogPage(entries, page, len(rows) > per_page)


# --- demo ---------------------------------------------------------------------------------

DEMO_CENTRE_NAME = "Demo centre"
DEMO_TASKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Accompany a client to an appointment",
        "Go with a client to an office, a doctor or a lawyer, and help them feel safe.",
        (
            "module:peer-role",
            "module:safe-listening",
            "module:data-protection",
            "module:boundaries",
        ),
    ),
    (
        "Lead a group session",
        "Lead a peer group at the centre, with a counsellor in reach.",
        ("path:peer-advisor-core",),
    ),
    (
        "Speak at an awareness event",
        "Talk about the centre's offer in a community, without case stories.",
        ("module:peer-role", "module:multiplier-methods", "module:data-protection"),
    ),
    (
        "Support public relations work",
        "Help with flyers, posts and stands; never with clients' stories.",
        ("module:peer-role", "module:data-protection"),
    ),
)


def create_demo_centre(coordinator: User, peer: User) -> Centre:
    """The demo centre with four realistic tasks and the demo peer sharing with it.

    Idempotent; tasks only require content that exists in the loaded catalogue.
    """
    centre = db.session.scalar(select(Centre).filter_by(name=DEMO_CENTRE_NAME))
    if centre is None:
        centre = create_centre(DEMO_CENTRE_NAME, coordinator)
    else:
        add_coordinator(centre, coordinator)
    known = {r.value for group in requirement_groups() for r in group.requirements}
    existing = {task.title for task in tasks_of(centre)}
    for title, description, wanted in DEMO_TASKS:
        values = [value for value in wanted if value in known]
        if title not in existing and values:
            save_task(centre, title, description, values)
    if _active_membership(centre.id, peer.id) is None:
        join_centre(peer, centre.invite_code, consent=True)
    return centre


# --- support contacts ---------------------------------------------------------------------


# Built once: it runs on every lesson page.
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


def support_contacts_for(user_id: int) -> list[tuple[str, str]]:
    """(centre name, support contact) of the centres this peer currently shares with.

    Shown on every lesson page through ``academy.core.support``; a centre without a
    contact is left out.
    """
    rows = db.session.execute(_SUPPORT_CONTACTS, {"user_id": user_id})
    return [(name, contact.strip()) for name, contact in rows if contact.strip()]


MAX_SUPPORT_CONTACT_LENGTH = 1000


def set_support_contact(centre: Centre, text: str | None) -> None:
    """Who this centre's peers can turn to; empty leaves only the general advice."""
    text = (text or "").strip().replace("\r\n", "\n")
    if len(text) > MAX_SUPPORT_CONTACT_LENGTH:
        raise UserError(
            f"The support contact can have at most {MAX_SUPPORT_CONTACT_LENGTH} characters.",
            field="support_contact",
        )
    centre.support_contact = text or None
