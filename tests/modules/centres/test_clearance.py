"""The clearance matrix: the exact cell for every kind of peer, its pages, the status
rule and the CSV.

Fixture content: modules ``basics`` (valid 12 months, about 365 days) and ``advanced``
(24 months); paths ``fixture-path`` (both modules, 12 months) and ``fixture-practice``
(basics and observed practice, 6 months).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from academy.core import clock
from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import clearance
from academy.modules.centres.clearance import Cell
from academy.modules.certificates import services as certificates
from academy.modules.certificates.models import Certificate
from academy.modules.certificates.rules import Rules
from tests.modules.centres.helpers import (
    ADVANCED,
    BASICS,
    PRACTICE,
    add_task,
    certify,
    coordinator_of,
    counted_queries,
    join,
    make_centre,
    set_expiry,
)
from tests.modules.certificates.test_lifecycle import complete
from tests.modules.practice.helpers import complete_practice


def _cells(centre, task) -> dict[str, Cell]:
    return {
        peer.display_name: peer.cells[task.id] for peer in clearance.clearance_matrix(centre).peers
    }


def _peer(make_user, centre, name: str):
    peer = make_user(Role.TRAINEE, display_name=name)
    join(peer, centre)
    return peer


def test_a_realistic_roster_gets_the_exact_cell_for_every_kind_of_peer(centre, make_user):
    """30 peers, six of each kind except the revoked ones, built along a moving clock."""
    group = add_task(centre, "Lead a group session", "module:basics")
    start = clock.utcnow()

    expired = [_peer(make_user, centre, f"Expired {n}") for n in range(5)]
    for peer in expired:
        certify(peer, "module", "basics")  # valid until start + 365 days
    clock.travel(timedelta(days=100))
    expiring = [_peer(make_user, centre, f"Expiring {n}") for n in range(5)]
    for peer in expiring:
        certify(peer, "module", "basics")  # valid until start + 465 days
    clock.travel(timedelta(days=340))  # now: start + 440 days, 25 days before theirs end

    cleared = [_peer(make_user, centre, f"Cleared {n}") for n in range(6)]
    missing = [_peer(make_user, centre, f"Missing {n}") for n in range(6)]
    paused = [_peer(make_user, centre, f"Paused {n}") for n in range(5)]
    revoked = [_peer(make_user, centre, f"Revoked {n}") for n in range(3)]
    for peer in cleared + paused:
        certify(peer, "module", "basics")
    for peer in paused:
        certificates.pause_self(peer)
    for peer in revoked:
        certificates.revoke_certificate(
            certify(peer, "module", "basics"), "misconduct", by=coordinator_of(centre)
        )
    db.session.commit()

    cells = _cells(centre, group)
    assert len(cells) == 30
    today = clock.utcnow()
    for peer in cleared:
        assert cells[peer.display_name] == Cell(
            "cleared", expires_on=(today + timedelta(days=365)).date()
        )
    for peer in expiring:
        assert cells[peer.display_name] == Cell(
            "expiring", expires_on=(start + timedelta(days=465)).date()
        )
        assert cells[peer.display_name].summary.startswith("Expires soon: valid until ")
    for peer in expired:
        assert cells[peer.display_name] == Cell("expired", expired=(BASICS,))
        assert cells[peer.display_name].summary == "Expired: Basics"
    for peer in missing + revoked:  # a revoked certificate counts as none at all
        assert cells[peer.display_name] == Cell("missing", missing=(BASICS,))
        assert cells[peer.display_name].summary == "Missing: Basics"
    for peer in paused:
        assert cells[peer.display_name] == Cell("paused")
        assert cells[peer.display_name].summary == "Paused"


def test_precedence_is_paused_then_missing_then_expired_then_expiring(centre, make_user):
    task = add_task(centre, "Accompany a client", "module:basics", "module:advanced")
    old = _peer(make_user, centre, "Old")
    certify(old, "module", "basics")
    clock.travel(timedelta(days=400))  # Old's basics has expired
    both = _peer(make_user, centre, "Both")
    certify(both, "module", "basics")
    certify(both, "module", "advanced")
    certify(old, "module", "advanced")
    _peer(make_user, centre, "Nothing")
    paused = _peer(make_user, centre, "Paused")
    certificates.pause_self(paused)  # paused wins even over missing everything
    db.session.commit()

    cells = _cells(centre, task)
    assert cells["Paused"] == Cell("paused")
    assert cells["Nothing"] == Cell("missing", missing=(BASICS, ADVANCED))
    assert cells["Nothing"].summary == "Missing: Basics, Advanced"
    assert cells["Old"] == Cell("expired", expired=(BASICS,))
    assert cells["Both"].status == "cleared"

    # Missing beats expired, and both are named.
    old_and_missing = add_task(centre, "Old and missing", "module:basics", "path:fixture-path")
    cell = _cells(centre, old_and_missing)["Old"]
    assert cell == Cell("missing", missing=("Fixture path — both modules",), expired=(BASICS,))
    assert cell.summary == "Missing: Fixture path — both modules; expired: Basics"

    # Expiring shows the earliest end among the requirements.
    clock.travel(timedelta(days=340))  # Both: basics ends in 25 days, advanced later
    assert _cells(centre, task)["Both"] == Cell(
        "expiring", expires_on=(clock.utcnow() + timedelta(days=25)).date()
    )


def test_an_older_content_version_still_counts_unless_expired(centre, make_user):
    task = add_task(centre, "Support public relations", "module:basics")
    peer = _peer(make_user, centre, "Veteran")
    certify(peer, "module", "basics", version="0.9")
    assert _cells(centre, task)["Veteran"].status == "cleared"


def test_an_older_version_expires_soon_then_expires_when_the_module_asks_to_recertify(
    app, centre, make_user
):
    task = add_task(centre, "Support public relations", "module:basics")
    peer = _peer(make_user, centre, "Veteran")
    certify(peer, "module", "basics")
    catalogue = current_catalogue()
    catalogue.modules["basics"] = replace(catalogue.modules["basics"], version="2.0")
    assert _cells(centre, task)["Veteran"].status == "cleared"
    app.config["ACADEMY_RENEWAL_DAYS"] = 20
    catalogue.modules["basics"] = replace(catalogue.modules["basics"], recertify=True)
    # the grace period ends within 30 days: cleared today, but not in 30 days
    grace_end = (clock.utcnow() + timedelta(days=20)).date()
    assert _cells(centre, task)["Veteran"] == Cell("expiring", expires_on=grace_end)
    clock.travel(timedelta(days=21))
    assert _cells(centre, task)["Veteran"] == Cell("expired", expired=(BASICS,))
    certify(peer, "module", "basics")  # recertified on 2.0
    assert _cells(centre, task)["Veteran"].status == "cleared"


def test_a_certificate_without_an_end_beats_one_with_an_end(centre, make_user):
    basics_only = add_task(centre, "Support public relations", "module:basics")
    both = add_task(centre, "Lead a group session", "module:basics", "module:advanced")
    peer = _peer(make_user, centre, "Peer")
    certify(peer, "module", "basics", version="0.9")  # ends in a year
    certify(peer, "module", "basics").expires_at = None
    set_expiry(certify(peer, "module", "advanced"), timedelta(days=500))
    cells = _cells(centre, basics_only), _cells(centre, both)
    assert cells[0]["Peer"] == Cell("cleared")  # no date: it never ends
    assert cells[1]["Peer"] == Cell(
        "cleared", expires_on=(clock.utcnow() + timedelta(days=500)).date()
    )


def test_the_latest_expiring_certificate_of_a_subject_counts(centre, make_user):
    task = add_task(centre, "Support public relations", "module:basics")
    peer = _peer(make_user, centre, "Renewed")
    certify(peer, "module", "basics", version="0.9")
    clock.travel(timedelta(days=300))
    certify(peer, "module", "basics")  # a newer version, valid for another year
    clock.travel(timedelta(days=100))  # the 0.9 certificate has expired by now
    expected = (clock.utcnow() + timedelta(days=265)).date()
    assert _cells(centre, task)["Renewed"] == Cell("cleared", expires_on=expected)


def test_a_revoked_certificate_never_counts_and_a_replaced_one_does_not_come_back(
    centre, make_user
):
    task = add_task(centre, "Support public relations", "module:basics")
    peer = _peer(make_user, centre, "Peer")
    older = certify(peer, "module", "basics", version="0.9")
    newer = certify(peer, "module", "basics")  # replaces 0.9
    certificates.revoke_certificate(newer, "wrongly issued", by=coordinator_of(centre))
    db.session.commit()
    replaced = db.session.scalar(select(Certificate.replaced_at).filter_by(id=older.id))
    assert replaced is not None
    assert _cells(centre, task)["Peer"] == Cell("missing", missing=(BASICS,))


def test_a_path_requirement_counts_the_observed_practice(centre, make_user):
    """The path certificate, and so the clearance, follows the last observed session."""
    task = add_task(centre, "Lead a group session", "path:fixture-path", "path:fixture-practice")
    peer = _peer(make_user, centre, "Peer")
    certify(peer, "path", "fixture-path")
    complete(peer, "basics")
    assert _cells(centre, task)["Peer"] == Cell("missing", missing=(PRACTICE,))

    complete_practice(peer, make_user(Role.TRAINER))

    months_6 = (clock.utcnow() + timedelta(days=round(6 * certificates.DAYS_PER_MONTH))).date()
    assert _cells(centre, task)["Peer"] == Cell("cleared", expires_on=months_6)


def test_peer_detail_shows_every_task_and_the_certificates_with_status_and_code(centre, make_user):
    add_task(centre, "B task", "module:basics")
    add_task(centre, "A task", "module:advanced")
    peer = _peer(make_user, centre, "Peer")
    certificate = certify(peer, "module", "basics")
    detail = clearance.peer_detail(centre, peer.id)
    assert [task.title for task in detail.tasks] == ["A task", "B task"]
    assert [cell.status for cell in detail.peer.cells.values()] == ["missing", "cleared"]
    [held] = detail.certificates
    assert (held.title, held.status, held.kind) == ("Basics", "valid", "module")
    assert held.code.replace("-", "") == certificate.code
    certificates.pause_self(peer)
    db.session.commit()
    assert clearance.peer_detail(centre, peer.id).certificates[0].status == "paused"


def test_no_tasks_or_no_peers_make_an_empty_matrix(centre, make_user):
    assert clearance.clearance_matrix(centre).peers == []
    _peer(make_user, centre, "Peer")
    certificates.pause_self(_peer(make_user, centre, "Resting"))
    db.session.commit()
    matrix = clearance.clearance_matrix(centre)
    assert matrix.tasks == []
    assert [(p.display_name, p.paused, p.cells) for p in matrix.peers] == [
        ("Peer", False, {}),
        ("Resting", True, {}),  # paused is told even without tasks (the API shows it)
    ]


def test_requirements_whose_content_was_removed_show_as_missing(centre, make_user):
    task = add_task(centre, "Old task", "module:basics")
    from academy.modules.centres.models import TaskRequirement

    db.session.add(TaskRequirement(task_id=task.id, kind="module", ref="retired-module"))
    db.session.commit()
    peer = _peer(make_user, centre, "Peer")
    certify(peer, "module", "basics")
    assert _cells(centre, task)["Peer"] == Cell("missing", missing=("retired-module",))


# --- pages -------------------------------------------------------------------------------


def test_a_page_of_the_matrix_has_the_same_cells_as_the_whole(centre, make_user, monkeypatch):
    monkeypatch.setattr(clearance, "MATRIX_PAGE_SIZE", 3)
    task = add_task(centre, "Lead a group session", "module:basics")
    for n in range(7):
        peer = _peer(make_user, centre, f"Peer {n}")
        if n % 2:
            certify(peer, "module", "basics")
    whole = clearance.clearance_matrix(centre)
    assert (whole.peer_count, whole.page, whole.pages, whole.offset) == (7, 1, 1, 0)

    pages = [clearance.clearance_matrix(centre, page) for page in (1, 2, 3)]
    assert [(m.page, m.pages, m.offset, m.peer_count) for m in pages] == [
        (1, 3, 0, 7),
        (2, 3, 3, 7),
        (3, 3, 6, 7),
    ]
    assert [peer for m in pages for peer in m.peers] == whole.peers
    assert [m.tasks for m in pages] == [whole.tasks] * 3
    assert whole.peers[1].cells[task.id].status == "cleared"

    past_the_end = clearance.clearance_matrix(centre, 9)
    assert (past_the_end.page, [p.display_name for p in past_the_end.peers]) == (3, ["Peer 6"])


def test_a_centre_without_peers_has_one_empty_page(centre):
    add_task(centre, "Lead a group session", "module:basics")
    for page in (1, 2):
        matrix = clearance.clearance_matrix(centre, page)
        assert (matrix.peers, matrix.peer_count, matrix.page, matrix.pages) == ([], 0, 1, 1)


def test_a_coordinators_matrix_is_their_centres(centre, make_user):
    coordinator = coordinator_of(centre)
    assert clearance.coordinator_matrix(coordinator, 1).tasks == []  # no tasks yet
    add_task(centre, "Lead a group session", "module:basics", "module:advanced")
    add_task(centre, "Accompany", "module:basics")
    certify(_peer(make_user, centre, "Peer"), "module", "basics")
    other = make_centre(make_user, "Centre B")
    add_task(other, "Their task", "module:basics")
    _peer(make_user, other, "Their peer")

    assert clearance.coordinator_matrix(coordinator, 1) == clearance.clearance_matrix(centre, 1)
    with counted_queries() as statements:
        clearance.coordinator_matrix(coordinator, 1)
    assert len(statements) == 3  # the centre and its tasks; the peers; their evidence


def test_a_coordinator_matrix_is_403_for_anyone_but_a_coordinator(centre, make_user):
    with pytest.raises(Forbidden):
        clearance.coordinator_matrix(make_user(Role.CENTRE), 1)  # no centre
    former = coordinator_of(centre)
    former.role = Role.TRAINER.value  # still linked, but no longer a coordinator
    db.session.commit()
    with pytest.raises(Forbidden):
        clearance.coordinator_matrix(former, 1)


# --- the status rule, for many certificates -----------------------------------------------


def test_the_matrix_reads_certificates_by_the_certificates_rules(app, centre, make_user):
    """The matrix asks ``certificates.rules.Rules`` about columns, the pages ask
    ``certificate_standing`` about objects: the same verdicts."""
    peer = _peer(make_user, centre, "Peer")
    older = certify(peer, "module", "basics", version="0.9")
    valid = certify(peer, "module", "basics")  # replaces 0.9
    ended = certify(peer, "module", "advanced")
    set_expiry(ended, -timedelta(days=1))
    path = certify(peer, "path", "fixture-path")
    path.expires_at = None
    revoked = certify(peer, "path", "fixture-practice")
    certificates.revoke_certificate(revoked, "wrongly issued", by=coordinator_of(centre))
    db.session.commit()
    held = [db.session.merge(c) for c in (older, valid, ended, path, revoked)]
    for c in held:
        db.session.refresh(c)

    def agree() -> list[str]:
        rules = Rules()
        states = [
            rules.standing(
                c.kind, c.subject_slug, c.subject_version, c.expires_at, c.revoked_at, c.replaced_at
            ).state
            for c in held
        ]
        assert states == [certificates.certificate_standing(c, paused=False).state for c in held]
        return states

    assert agree() == ["replaced", "valid", "expired", "valid", "revoked"]
    app.config["ACADEMY_RENEWAL_DAYS"] = 0
    catalogue = current_catalogue()
    catalogue.modules["basics"] = replace(
        catalogue.modules["basics"], version="2.0", recertify=True
    )
    # 1.0 and the path built on it end at once without a grace period
    assert agree() == ["replaced", "expired", "expired", "expired", "revoked"]


# --- the CSV ------------------------------------------------------------------------------


def test_the_csv_has_the_same_words_and_guards_against_formulas(centre, make_user):
    add_task(centre, "=cmd|' /C calc'!A0", "module:basics")
    add_task(centre, "Lead a group session", "module:basics", "module:advanced")
    sharer = _peer(make_user, centre, "@SUM(1+1)")
    certify(sharer, "module", "basics")
    plain = _peer(make_user, centre, "Ayo")
    certificates.pause_self(plain)
    db.session.commit()

    lines = clearance.matrix_csv(clearance.clearance_matrix(centre)).splitlines()
    expiry = (clock.utcnow() + timedelta(days=365)).date().isoformat()
    assert lines == [
        "Peer,'=cmd|' /C calc'!A0,Lead a group session",
        f"'@SUM(1+1),Cleared: valid until {expiry},Missing: Advanced",
        "Ayo,Paused,Paused",
    ]
