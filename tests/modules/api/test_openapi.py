"""The OpenAPI document: valid OpenAPI 3.1, complete, and true to the real responses."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import api_tokens
from academy.modules.certificates import services as certificates
from tests.modules.centres.helpers import add_task, certify, coordinator_of, join, make_centre

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def document(client, app) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def _openapi_path(rule: str) -> str:
    """Werkzeug's ``/centre/peers/<int:user_id>`` as OpenAPI's ``/centre/peers/{user_id}``."""
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_api_route_and_method_is_described(app, document):
    routes = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - IGNORED_METHODS
    }
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes
    assert routes == described


def test_path_parameters_match_the_routes(document):
    for path, item in document["paths"].items():
        names = set(re.findall(r"{([a-z_]+)}", path))
        for operation in item.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, path


def test_centre_endpoints_need_the_bearer_scheme(document):
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert document["security"] == [{"bearerAuth": []}]
    for path in ("/api/v1/centre/peers", "/api/v1/centre/peers/{user_id}"):
        operation = document["paths"][path]["get"]
        assert "security" not in operation  # the document-wide bearer requirement applies
        assert "401" in operation["responses"]


def _validator(document: dict, schema_name: str) -> Draft202012Validator:
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    return Draft202012Validator(schema)


def _response_schema(document: dict, path: str, status: str) -> str:
    response = document["paths"][path]["get"]["responses"][status]
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]


def test_real_responses_match_their_schemas(client, document, make_user):
    centre = make_centre(make_user, "Centre A")
    add_task(centre, "Lead", "module:basics", "path:fixture-practice")
    cleared, paused = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    for peer in (cleared, paused):
        join(peer, centre)
        certify(peer, "module", "basics")
    certificates.pause_self(paused)
    _, plain = api_tokens.create_token(centre, "Rota", coordinator_of(centre))
    db.session.commit()
    code = certificates.certificates_for(cleared.id)[0].code
    auth = {"Authorization": f"Bearer {plain}"}

    checks = [
        ("/api/v1/certificates/{code}", f"/api/v1/certificates/{code}", {}, 200),
        ("/api/v1/certificates/{code}", "/api/v1/certificates/nope", {}, 400),
        (
            "/api/v1/certificates/{code}",
            f"/api/v1/certificates/{code}",
            {"Authorization": "x"},
            401,
        ),
        ("/api/v1/certificates/{code}", "/api/v1/certificates/" + "0" * 20, {}, 404),
        ("/api/v1/centre/peers", "/api/v1/centre/peers", auth, 200),
        ("/api/v1/centre/peers", "/api/v1/centre/peers", {}, 401),
        ("/api/v1/centre/peers/{user_id}", f"/api/v1/centre/peers/{paused.id}", auth, 200),
        ("/api/v1/centre/peers/{user_id}", "/api/v1/centre/peers/999", auth, 404),
    ]
    for template, url, headers, status in checks:
        response = client.get(url, headers=headers)
        assert response.status_code == status, url
        assert str(status) in document["paths"][template]["get"]["responses"], (template, status)
        schema = _response_schema(document, template, str(status))
        _validator(document, schema).validate(response.get_json())
        if status == 401:
            assert "WWW-Authenticate" in response.headers
