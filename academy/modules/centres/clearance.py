"""Clearance: which sharing peer may take on which of the centre's tasks, as the matrix
(peers × tasks), one peer's page and the CSV.

A cell is paused, missing, expired, expiring or cleared. The matrix is the centre's
busiest page: it runs a fixed number of prebuilt statements (``queries``), whatever the
number of peers and tasks.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from sqlalchemy import Row
from werkzeug.exceptions import NotFound

from academy.core.clock import utcnow
from academy.core.dates import format_date
from academy.core.input_checks import MAX_DATABASE_ID
from academy.core.spreadsheets import csv_safe
from academy.modules.accounts.models import Role, User
from academy.modules.centres import queries
from academy.modules.centres.coordinators import centre_for_coordinator
from academy.modules.centres.models import Centre
from academy.modules.centres.tasks import Requirement, TaskSummary, task_summaries, tasks_from
from academy.modules.certificates import services as certificates
from academy.modules.certificates.codes import format_code
from academy.modules.certificates.rules import Rules

# "Expires soon": cleared today, but not in this many days (a refresher's grace period
# ending counts like an expiry).
EXPIRING_WITHIN = timedelta(days=30)
MATRIX_PAGE_SIZE = 25  # peers per page of the matrix: a screen or two, 250 cells with ten tasks

CellStatus = Literal["cleared", "expiring", "expired", "missing", "paused"]
STATUS_WORDS: dict[str, LazyString] = {
    "cleared": lazy_gettext("Cleared"),
    "expiring": lazy_gettext("Expires soon"),
    "expired": lazy_gettext("Expired"),
    "missing": lazy_gettext("Missing"),
    "paused": lazy_gettext("Paused"),
}


@dataclass(frozen=True)
class Cell:
    """A peer's clearance for one task (peers with the same evidence share one)."""

    status: CellStatus
    missing: tuple[str, ...] = ()  # requirement titles without any certificate
    expired: tuple[str, ...] = ()  # requirement titles whose best certificate has expired
    expires_on: date | None = None  # earliest expiry among the requirements (cleared/expiring)

    @property
    def word(self) -> str:
        return str(STATUS_WORDS[self.status])

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
            return format_date(self.expires_on)
        return ""

    @property
    def details(self) -> str:
        """What a coordinator needs to act on, as text (never colour alone)."""
        if self.status == "missing":
            extra = (
                "; " + gettext("expired: %(titles)s", titles=", ".join(self.expired))
                if self.expired
                else ""
            )
            return ", ".join(self.missing) + extra
        if self.status == "expired":
            return ", ".join(self.expired)
        if self.expires_on is not None:
            return gettext("valid until %(day)s", day=format_date(self.expires_on))
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


# What a peer has for one requirement, in the cells' terms: nothing (absent), a valid
# certificate (the best one), or only an expired one.
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


def _evidence(user_ids: list[int], tasks: list[TaskSummary], now: datetime) -> dict[int, _Evidence]:
    """Everything the cells need, for all these peers, in one query."""
    evidence = {user_id: _Evidence() for user_id in user_ids}
    if not user_ids:
        return evidence
    subjects = {r.ref for task in tasks for r in task.requirements}
    rules = Rules(now)
    # Per (peer, kind, subject) the best certificate: one that counts beats one that does
    # not, then no end beats any end, then the later end wins. The content version
    # matters only through the certificates' rules (a refresher's grace period ends).
    best: dict[tuple[int, str, str], tuple[bool, bool, datetime]] = {}
    # Unpacked: reading a row's columns by name costs more than the rest of the loop.
    for user_id, kind, ref, version, expires_at, revoked_at, replaced_at in queries.evidence(
        user_ids, sorted(subjects)
    ):
        if kind == "pause":
            evidence[user_id].paused = True
            continue
        standing = rules.standing(kind, ref, version, expires_at, revoked_at, replaced_at)
        ends = standing.ends_at
        rank = (standing.counts, ends is None, ends or datetime.min)
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
    return _matrix(centre.id, centre.name, task_summaries(centre.id), page)


def coordinator_matrix(user: User, page: int | None = None) -> Matrix:
    """``clearance_matrix`` of the centre this coordinator works for, found in the same
    query as its tasks; the 403 of ``centre_for_coordinator`` for anyone else."""
    rows = queries.coordinator_centre_and_tasks(user.id)
    if not rows or not user.has_role(Role.CENTRE):
        return clearance_matrix(centre_for_coordinator(user), page)
    centre_id, centre_name = rows[0][:2]
    return _matrix(centre_id, centre_name, tasks_from(row[2:] for row in rows), page)


def _matrix(centre_id: int, centre_name: str, tasks: list[TaskSummary], page: int | None) -> Matrix:
    if page is None:
        peers = queries.sharing_peers(centre_id)
        return Matrix(centre_name, tasks, _clearances(tasks, peers), len(peers))
    page = max(1, min(page, MAX_DATABASE_ID // MATRIX_PAGE_SIZE))
    peers = _peer_page(centre_id, page)
    if not peers and page > 1:  # past the last page, e.g. after peers stopped sharing
        count = queries.sharing_peer_count(centre_id)
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
    return queries.sharing_peers_page(
        centre_id, limit=MATRIX_PAGE_SIZE, offset=(page - 1) * MATRIX_PAGE_SIZE
    )


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
    peers = queries.sharing_peer(centre.id, user_id)
    if not peers:
        raise NotFound(
            gettext("No peer with this number shares their certification status with you.")
        )
    tasks = task_summaries(centre.id)
    clearance = _clearances(tasks, peers)[0]
    held = [
        CertificateSummary(
            title=c.subject_title,
            kind=c.kind,
            status=certificates.certificate_standing(c, paused=clearance.paused).status,
            code=format_code(c.code),
            issued_on=c.issued_at.date(),
            expires_on=c.expires_at.date() if c.expires_at else None,
        )
        for c in certificates.certificates_for(user_id)
    ]
    return PeerDetail(centre.name, tasks, clearance, held)


# --- CSV ----------------------------------------------------------------------------------


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
