"""Membership and consent: joining with an invite code, withdrawing, the roster."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from academy.core import clock
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import clearance, coordinators, membership
from academy.modules.centres.models import Membership
from academy.modules.certificates import services as certificates
from tests.modules.centres.helpers import add_task, coordinator_of, join


def test_joining_needs_explicit_consent(centre, peer):
    with pytest.raises(UserError, match="tick the box") as caught:
        membership.join_centre(peer, centre.invite_code, consent=False)
    assert caught.value.field == "consent"
    assert db.session.scalar(select(Membership)) is None
    assert membership.centres_of(peer) == []


def test_invite_codes_ignore_case_spaces_and_dashes(centre, peer):
    typed = coordinators.format_invite_code(centre.invite_code).lower().replace("-", " - ")
    assert membership.join_centre(peer, typed, consent=True) == centre
    assert membership.centres_of(peer) == [centre]


def test_an_unknown_invite_code_is_refused(centre, peer):
    with pytest.raises(UserError, match="No centre has this invite code"):
        membership.join_centre(peer, "NOPE-NOPE2", consent=True)
    with pytest.raises(UserError, match="No centre has this invite code"):
        membership.join_centre(peer, " - ", consent=True)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.CENTRE, Role.ADMIN])
def test_only_trainees_can_join(centre, make_user, role):
    with pytest.raises(UserError, match="Only peers in training"):
        membership.join_centre(make_user(role), centre.invite_code, consent=True)


def test_joining_twice_says_so(centre, peer):
    join(peer, centre)
    with pytest.raises(UserError, match="already share"):
        membership.join_centre(peer, centre.invite_code, consent=True)


def test_withdrawal_hides_the_peer_at_once_and_rejoining_gives_consent_again(centre, peer):
    add_task(centre, "Lead a group session", "module:basics")
    join(peer, centre)
    assert [p.id for p in clearance.clearance_matrix(centre).peers] == [peer.id]

    membership.withdraw_consent(peer, centre.id)
    db.session.commit()
    assert clearance.clearance_matrix(centre).peers == []
    assert membership.roster(centre) == []
    assert peer.display_name not in clearance.matrix_csv(clearance.clearance_matrix(centre))
    with pytest.raises(NotFound):
        clearance.peer_detail(centre, peer.id)
    assert membership.centres_of(peer) == []

    clock.travel(timedelta(days=3))
    join(peer, centre)
    record = db.session.scalar(select(Membership))
    assert record.withdrawn_at is None
    assert record.consent_given_at.date() == clock.utcnow().date()
    assert [p.id for p in clearance.clearance_matrix(centre).peers] == [peer.id]


def test_withdrawing_where_one_does_not_share_is_a_404(centre, peer):
    with pytest.raises(NotFound):
        membership.withdraw_consent(peer, centre.id)


def test_a_new_invite_code_keeps_members_and_retires_the_old_code(centre, peer, make_user):
    join(peer, centre)
    old = centre.invite_code
    new = coordinators.regenerate_invite_code(centre)
    db.session.commit()
    assert new != old
    assert [entry.id for entry in membership.roster(centre)] == [peer.id]
    with pytest.raises(UserError):
        membership.join_centre(make_user(), old, consent=True)


def test_the_roster_shows_who_is_paused_but_never_why(centre, peer, make_user):
    other = make_user(Role.TRAINEE, "peer-two", "Another")
    join(peer, centre)
    join(other, centre)
    certificates.suspend(peer, "private note about a crisis", by=coordinator_of(centre))
    db.session.commit()
    entries = {entry.display_name: entry for entry in membership.roster(centre)}
    assert entries["Peer One"].paused and not entries["Another"].paused
    assert "private note" not in repr(membership.roster(centre))
