"""People the account tests share."""

from __future__ import annotations

import pytest

from academy.modules.accounts.models import Role, User


@pytest.fixture
def trainer(make_user) -> User:
    return make_user(Role.TRAINER, "trainer-one", "Trainer Kim")


@pytest.fixture
def admin(make_user) -> User:
    return make_user(Role.ADMIN, "admin-one", "Admin")
