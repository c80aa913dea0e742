"""Fixtures the centre tests share."""

from __future__ import annotations

import pytest

from academy.modules.accounts.models import Role
from tests.modules.centres.helpers import coordinator_of, make_centre, sign_in


@pytest.fixture
def centre(make_user):
    return make_centre(make_user, "Centre A")


@pytest.fixture
def centre_a(centre):
    """The same centre, so called where centre B is in the test too."""
    return centre


@pytest.fixture
def centre_b(make_user):
    return make_centre(make_user, "Centre B")


@pytest.fixture
def peer(make_user):
    return make_user(Role.TRAINEE, "peer-one", "Peer One")


@pytest.fixture
def as_a(client, centre_a):
    """A client signed in as centre A's coordinator."""
    sign_in(client, coordinator_of(centre_a))
    return client
