"""The clearance pages: the matrix (its cells, escaping, paging), a peer's page and the
CSV download."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import clearance
from academy.modules.certificates import services as certificates
from tests.modules.centres.helpers import (
    add_task,
    certify,
    coordinator_of,
    join,
    set_expiry,
    sign_in,
)


def matrix_rows(page: str) -> dict[str, tuple[str, list[str]]]:
    """Peer name -> (link to the peer's page, the text of each cell) from a matrix page."""
    rows = re.findall(
        r'<tr><th scope="row"><a href="([^"]+)">([^<]+)</a></th>(.*?)</tr>', page, re.DOTALL
    )
    return {
        name: (link, [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td.*?</td>", cells)])
        for link, name, cells in rows
    }


def test_the_matrix_page_gives_each_cell_a_word_and_a_short_reason(client, centre_a, make_user):
    add_task(centre_a, "Accompany a client", "module:basics", "module:advanced")
    add_task(centre_a, "Support public relations", "module:basics")
    peers = {
        name: make_user(Role.TRAINEE, name.lower(), f"{name} Peer")
        for name in ("Cleared", "Expired", "Expiring", "Missing", "Nothing", "Paused")
    }
    for peer in peers.values():
        join(peer, centre_a)
    certify(peers["Expired"], "module", "basics")  # valid for a year
    clock.travel(timedelta(days=400))
    for name in ("Cleared", "Expiring", "Missing", "Paused"):
        certify(peers[name], "module", "basics")
    for name in ("Cleared", "Expired", "Paused"):
        certify(peers[name], "module", "advanced")
    set_expiry(certify(peers["Expiring"], "module", "advanced"), timedelta(days=30))
    certificates.pause_self(peers["Paused"])
    db.session.commit()
    sign_in(client, coordinator_of(centre_a))  # after the clock moved: a fresh session

    page = client.get("/centre/matrix").text
    ends = (clock.utcnow() + timedelta(days=30)).date().isoformat()
    rows = matrix_rows(page)
    assert {name: cells for name, (_, cells) in rows.items()} == {
        "Cleared Peer": ["Cleared", "Cleared"],
        "Expired Peer": ["Expired: 1", "Expired: 1"],
        "Expiring Peer": [f"Expires soon: {ends}", "Cleared"],
        "Missing Peer": ["Missing: 1", "Cleared"],
        "Nothing Peer": ["Missing: 2", "Missing: 1"],
        "Paused Peer": ["Paused", "Paused"],
    }
    assert (
        '<td class="clearance clearance-expiring"><span class="clearance-word">Expires soon' in page
    )
    assert '<th scope="col">Accompany a client</th>' in page
    assert '<caption id="matrix-caption">6 peers × 2 tasks</caption>' in page
    assert "Pages of the matrix" not in page  # one page only

    # The details are one click away: each name links to the peer's page.
    link, _ = rows["Missing Peer"]
    assert link == f"/centre/peers/{peers['Missing'].id}"
    details = client.get(link).text
    assert '<span class="clearance-word">Missing</span>: Advanced' in details


def test_the_matrix_page_escapes_names_and_titles(as_a, centre_a, make_user):
    add_task(centre_a, "<b>Task</b>", "module:basics")
    join(make_user(Role.TRAINEE, "sneaky", "<script>alert(1)</script>"), centre_a)
    page = as_a.get("/centre/matrix").text
    assert "<script>alert(1)</script>" not in page and "<b>Task</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Task&lt;/b&gt;" in page


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(clearance, "MATRIX_PAGE_SIZE", 2)


def test_the_matrix_is_paged_and_every_peer_is_reachable(as_a, centre_a, make_user, small_pages):
    add_task(centre_a, "Lead a group session", "module:basics")
    names = [f"Peer {letter}" for letter in "ABCDE"]
    for name in reversed(names):  # the pages follow the names, not the order of joining
        join(make_user(Role.TRAINEE, name.replace(" ", "-").lower(), name), centre_a)

    seen: list[str] = []
    url = "/centre/matrix"
    for number in (1, 2, 3):
        page = as_a.get(url).text
        rows = list(matrix_rows(page))
        seen += rows
        first = 2 * number - 1
        assert (
            '<caption id="matrix-caption">'
            f"Peers {first}–{first + len(rows) - 1} of 5 × 1 task</caption>" in page
        )
        assert f"Page {number} of 3" in page
        assert ("Previous peers" in page) == (number > 1)
        following = re.search(r'<a href="([^"]+)" rel="next">Next peers</a>', page)
        if number < 3:
            url = following.group(1).replace("&amp;", "&")
            assert url == f"/centre/matrix?page={number + 1}"
        else:
            assert following is None
    assert seen == names

    # The previous link goes back, and the CSV still has every peer.
    assert '<a href="/centre/matrix?page=2" rel="prev">' in as_a.get("/centre/matrix?page=3").text
    rows = list(csv.reader(io.StringIO(as_a.get("/centre/matrix.csv").data.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == names


@pytest.mark.parametrize(
    ("query", "shown"),
    [("0", 1), ("-3", 1), ("abc", 1), ("3", 3), ("4", 3), ("99999999999999999999", 3)],
)
def test_a_page_out_of_range_shows_the_nearest(
    as_a, centre_a, make_user, small_pages, query, shown
):
    add_task(centre_a, "Lead a group session", "module:basics")
    for letter in "ABCDE":
        join(make_user(Role.TRAINEE, f"peer-{letter}", f"Peer {letter}"), centre_a)
    response = as_a.get(f"/centre/matrix?page={query}")
    assert response.status_code == 200
    assert f"Page {shown} of 3" in response.text
    assert list(matrix_rows(response.text)) == {1: ["Peer A", "Peer B"], 3: ["Peer E"]}[shown]


def test_the_peer_page_shows_clearance_and_certificates_but_never_scores(as_a, centre_a, peer):
    from tests import complete_module

    add_task(centre_a, "Lead a group session", "module:basics")
    join(peer, centre_a)
    complete_module(peer.id, "basics")  # a real quiz attempt with a score exists now
    page = as_a.get(f"/centre/peers/{peer.id}").text
    [certificate] = certificates.certificates_for(peer.id)
    assert "Peer One" in page
    assert "Cleared" in page and "Lead a group session" in page
    assert certificate.code[:4] in page and "Valid" in page
    assert "score" not in page.lower()
    assert "%" not in page


def test_the_csv_download(as_a, centre_a, make_user):
    add_task(centre_a, "Lead a group session", "module:basics")
    sneaky = make_user(Role.TRAINEE, "sneaky", '=HYPERLINK("http://evil.example","x")')
    join(sneaky, centre_a)
    response = as_a.get("/centre/matrix.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="clearance-matrix.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows == [
        ["Peer", "Lead a group session"],
        ['\'=HYPERLINK("http://evil.example","x")', "Missing: Basics"],
    ]
