"""The clearance matrix's cost: the same few prebuilt statements (``centres.queries``)
whatever the number of peers, with the exact cells for a mixed roster.

Fixture content: modules ``basics`` (valid 12 months, about 365 days) and ``advanced``
(24 months); paths ``fixture-path`` (both modules, 12 months) and ``fixture-practice``
(basics and observed practice, 6 months).
"""

from __future__ import annotations

from datetime import timedelta

from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import clearance
from academy.modules.centres.clearance import Cell
from academy.modules.certificates import services as certificates
from tests.modules.centres.helpers import (
    ADVANCED,
    PRACTICE,
    add_task,
    certify,
    counted_queries,
    join,
    make_centre,
)


def _roster(make_user, centre, size: int, prefix: str) -> None:
    for n in range(size):
        peer = make_user(Role.TRAINEE, f"{prefix}-{n}", f"{prefix} {n}")
        join(peer, centre)
        certify(peer, "module", "basics")
        if n % 3 == 0:
            certify(peer, "path", "fixture-path")
        if n % 4 == 0:
            certificates.pause_self(peer)
        if n % 5 == 0:  # the modules and the observed practice: a path certificate
            certify(peer, "path", "fixture-practice")
    db.session.commit()


def _queries_for_matrix(centre, page: int | None = None) -> int:
    """Queries of one matrix: the tasks with their requirements; the peers; their
    certificates and pauses."""
    db.session.refresh(centre)  # a view has the centre loaded already
    with counted_queries() as statements:
        matrix = clearance.clearance_matrix(centre, page)
    assert matrix.peers
    return len(statements)


def test_the_matrix_needs_the_same_three_queries_for_5_or_50_peers(make_user):
    small = make_centre(make_user, "Small centre")
    large = make_centre(make_user, "Large centre")
    for centre in (small, large):
        add_task(centre, "Lead", "path:fixture-path")
        add_task(centre, "Accompany", "module:basics", "module:advanced")
        add_task(centre, "Practise", "path:fixture-practice")
    _roster(make_user, small, 5, "small")
    _roster(make_user, large, 50, "large")

    assert _queries_for_matrix(small) == _queries_for_matrix(large) == 3
    assert _queries_for_matrix(large, page=1) == _queries_for_matrix(large, page=2) == 3


def test_the_matrix_has_the_exact_cells_for_a_mixed_roster(make_user):
    """The cells of ``_roster`` (every fourth peer paused, every third with the path, every
    fifth with the practice path), against the rules written out once more."""
    centre = make_centre(make_user, "Centre")
    lead = add_task(centre, "Lead", "path:fixture-path")
    accompany = add_task(centre, "Accompany", "module:basics", "module:advanced")
    practise = add_task(centre, "Practise", "path:fixture-practice")
    _roster(make_user, centre, 12, "peer")
    year = (clock.utcnow() + timedelta(days=365)).date()
    half_year = (clock.utcnow() + timedelta(days=round(6 * 30.44))).date()
    for peer in clearance.clearance_matrix(centre).peers:
        n = int(peer.display_name.split()[1])
        if n % 4 == 0:
            assert set(peer.cells.values()) == {Cell("paused")}
            continue
        path = (
            Cell("cleared", expires_on=year)
            if n % 3 == 0
            else Cell("missing", ("Fixture path — both modules",))
        )
        attested = (
            Cell("cleared", expires_on=half_year) if n % 5 == 0 else Cell("missing", (PRACTICE,))
        )
        assert peer.cells == {
            accompany.id: Cell("missing", (ADVANCED,)),
            lead.id: path,
            practise.id: attested,
        }
