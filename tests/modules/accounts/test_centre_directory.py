"""Invitations learn about centres only from the directory the centres feature registers."""

from __future__ import annotations

from academy.core.extensions import db
from academy.modules.accounts import invitations
from academy.modules.accounts.centre_directory import EXTENSION_KEY, NO_CENTRES
from academy.modules.accounts.models import Role
from academy.modules.centres import coordinators


def test_invitations_see_the_centres_through_the_registered_directory(app, make_user):
    coordinator = make_user(Role.CENTRE)
    centre = coordinators.create_centre("Harbour Centre", coordinator)
    db.session.commit()

    assert invitations.coordinator_centre_id(coordinator.id) == centre.id
    assert invitations.centre_names({centre.id, centre.id + 1}) == {centre.id: "Harbour Centre"}
    offer = invitations.centre_offer(centre.id)
    assert (offer.name, offer.invite_code) == ("Harbour Centre", centre.invite_code)
    assert invitations.centre_offer(centre.id + 1) is None


def test_without_a_centres_feature_nobody_invites_for_a_centre(app, make_user):
    coordinator = make_user(Role.CENTRE)
    centre = coordinators.create_centre("Harbour Centre", coordinator)
    db.session.commit()
    app.extensions[EXTENSION_KEY] = NO_CENTRES

    assert invitations.coordinator_centre_id(coordinator.id) is None
    assert invitations.centre_names({centre.id}) == {}
    assert invitations.centre_offer(centre.id) is None
