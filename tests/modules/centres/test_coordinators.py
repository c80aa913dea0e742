"""Centres and their coordinators."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import Forbidden

from academy.core.errors import UserError
from academy.modules.accounts.models import Role
from academy.modules.centres import coordinators
from tests.modules.centres.helpers import coordinator_of


def test_a_centre_needs_a_unique_name_and_a_coordinator_with_the_centre_role(centre, make_user):
    with pytest.raises(UserError, match="already exists"):
        coordinators.create_centre("Centre A", make_user(Role.CENTRE))
    with pytest.raises(UserError, match="role 'centre'"):
        coordinators.create_centre("Centre B", make_user(Role.TRAINER))
    with pytest.raises(UserError, match="another centre"):
        coordinators.create_centre("Centre C", coordinator_of(centre))


def test_only_a_linked_coordinator_has_a_centre(centre, make_user, peer):
    assert coordinators.centre_for_coordinator(coordinator_of(centre)) == centre
    with pytest.raises(Forbidden):
        coordinators.centre_for_coordinator(make_user(Role.CENTRE))
    with pytest.raises(Forbidden):
        coordinators.centre_for_coordinator(peer)
