"""Fixtures for the credential tests: a certificate to sign, keys in a temporary folder."""

from __future__ import annotations

import pytest

from academy.core.extensions import db
from academy.modules.certificates import services
from tests.conftest import build_config

BASE = "https://academy.example"


def signing_config(tmp_path) -> dict:
    """Keys in a temporary folder, a fixed issuer URL, and status lists built fresh each time."""
    return build_config(
        tmp_path,
        ACADEMY_KEY_DIR=str(tmp_path / "keys"),
        ACADEMY_BASE_URL=BASE,
        ACADEMY_STATUS_LIST_TTL=0,
    )


@pytest.fixture
def certificate(trainee):
    """A module certificate for the trainee, issued directly through the service."""
    issued = services.issue_or_renew(trainee, "module", "basics", "Basics", "1.0", 12)
    db.session.commit()
    return issued
