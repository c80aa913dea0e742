"""Schemathesis against the OpenAPI document, with a real centre token: every operation,
positive and negative data, every built-in check (server errors, status codes, content
types, headers, response schemas, that data outside the schema is refused and data inside
it accepted, that auth is not ignored, that unsupported methods answer 405 with
``Allow``). The document must describe exactly what the API accepts (docs/centres.md).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.api.openapi import openapi_document
from academy.modules.centres import api_tokens
from tests.modules.centres.helpers import certify, coordinator_of, join, make_centre

pytestmark = pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}], indirect=True)


@pytest.fixture
def api_token(make_user) -> str:
    """A centre with a sharing, certified peer, and the centre's token."""
    centre = make_centre(make_user, "Centre A")
    peer = make_user(Role.TRAINEE)
    join(peer, centre)
    certify(peer, "module", "basics")
    _, plain = api_tokens.create_token(centre, "Rota", coordinator_of(centre))
    db.session.commit()
    return plain


# The document the app serves at /api/v1/openapi.json (the view returns exactly this).
# Loaded at import, not from the app fixture: schemathesis' fixture loader
# (schemathesis.pytest.from_fixture) does not work with pytest 9.
schema = schemathesis.openapi.from_dict(openapi_document())


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_does_what_its_openapi_document_says(app, api_token, case):
    # The checks' own requests (without the token, with other methods) go to this app too.
    case.operation.schema.app = app
    # identity: its WSGI transport hands the body over without undoing a compression
    case.call_and_validate(
        app=app, headers={"Authorization": f"Bearer {api_token}", "Accept-Encoding": "identity"}
    )
