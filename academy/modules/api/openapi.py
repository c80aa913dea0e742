"""The OpenAPI 3.1 description of /api/v1, written by hand so that it says exactly what
the views do (a test checks that every /api/v1 route is described here)."""

from __future__ import annotations

from copy import deepcopy

from academy.core.input_checks import MAX_DATABASE_ID
from academy.modules.certificates.codes import MAX_TYPED_LENGTH, TYPED_CODE_PATTERN

NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}


def _error_response(status: int, description: str, example: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"error": example, "status": status},
            }
        },
    }


def _unauthorized() -> dict:
    response = _error_response(
        401,
        "No token, a malformed Authorization header, or a token that is unknown or revoked.",
        "This API token is not valid or has been revoked.",
    )
    response["headers"] = {
        "WWW-Authenticate": {
            "description": 'The challenge, e.g. `Bearer realm="Peer Academy API"`.',
            "schema": {"type": "string"},
        }
    }
    return response


SCHEMAS: dict = {
    "Error": {
        "type": "object",
        "description": "Every error: a message for people and the HTTP status again.",
        "required": ["error", "status"],
        "properties": {
            "error": {"type": "string"},
            "status": {"type": "integer"},
        },
    },
    "Verification": {
        "type": "object",
        "description": "What anyone holding a code may learn. Never why a certificate was "
        "revoked or its holder paused.",
        "required": [
            "code",
            "status",
            "holder_name",
            "title",
            "version",
            "issued_on",
            "expires_on",
            "revoked_on",
            "replaced_on",
            "renew_by",
            "state",
        ],
        "properties": {
            "code": {"type": "string", "example": "ABCD-EFGH-JKMN-PQRS-TVWX"},
            "status": {
                "type": "string",
                "enum": ["valid", "expired", "replaced", "revoked", "paused"],
                "description": "Whether the certificate counts now: only `valid` does.",
            },
            "state": {
                "type": "string",
                "enum": [
                    "valid",
                    "expiring",
                    "refresher",
                    "paused",
                    "expired",
                    "replaced",
                    "revoked",
                ],
                "description": "The lifecycle state (docs/certificates.md): `expiring` and "
                "`refresher` count, and the holder should renew by `renew_by`.",
            },
            "holder_name": {
                "type": ["string", "null"],
                "description": "null once the holder has closed their account.",
            },
            "holder_closed_account": {
                "type": "boolean",
                "description": "The certificate was revoked because its holder closed their "
                "account.",
            },
            "title": {"type": "string"},
            "version": {"type": "string"},
            "issued_on": {"type": "string", "format": "date"},
            "expires_on": {
                **NULLABLE_DATE,
                "description": "When it stops counting, or stopped (expired): its expiry, "
                "or earlier the end of a refresher's grace period.",
            },
            "revoked_on": NULLABLE_DATE,
            "replaced_on": NULLABLE_DATE,
            "renew_by": NULLABLE_DATE,
        },
    },
    "Requirement": {
        "type": "object",
        "required": ["kind", "ref", "title"],
        "properties": {
            "kind": {"type": "string", "enum": ["module", "path"]},
            "ref": {
                "type": "string",
                "description": (
                    "A module slug or a path slug. A path certificate includes the path's "
                    "observed practice."
                ),
            },
            "title": {"type": "string"},
        },
    },
    "Task": {
        "type": "object",
        "required": ["id", "title", "requirements"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "requirements": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Requirement"},
            },
        },
    },
    "Clearance": {
        "type": "object",
        "description": "One peer for one task. Precedence: paused > missing > expired > "
        "expiring (within 60 days) > cleared.",
        "required": ["status", "missing", "expired", "expires_on"],
        "properties": {
            "status": {
                "type": "string",
                "enum": ["cleared", "expiring", "expired", "missing", "paused"],
            },
            "missing": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Titles of requirements the peer does not have.",
            },
            "expired": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Titles of requirements whose certificate has expired.",
            },
            "expires_on": {
                **NULLABLE_DATE,
                "description": "When cleared or expiring: the earliest end of a required "
                "certificate.",
            },
        },
    },
    "Peer": {
        "type": "object",
        "required": ["id", "display_name", "paused", "tasks"],
        "properties": {
            "id": {"type": "integer"},
            "display_name": {"type": "string"},
            "paused": {"type": "boolean"},
            "tasks": {
                "type": "object",
                "description": "Task id (as text) to the peer's clearance for that task.",
                "additionalProperties": {"$ref": "#/components/schemas/Clearance"},
            },
        },
    },
    "CertificateSummary": {
        "type": "object",
        "required": ["title", "kind", "status", "code", "issued_on", "expires_on"],
        "properties": {
            "title": {"type": "string"},
            "kind": {"type": "string", "enum": ["module", "path"]},
            "status": {
                "type": "string",
                "enum": ["valid", "expired", "replaced", "revoked", "paused"],
            },
            "code": {"type": "string"},
            "issued_on": {"type": "string", "format": "date"},
            "expires_on": NULLABLE_DATE,
        },
    },
    "PeerList": {
        "type": "object",
        "required": ["centre", "tasks", "peers"],
        "properties": {
            "centre": {"type": "string"},
            "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
            "peers": {"type": "array", "items": {"$ref": "#/components/schemas/Peer"}},
        },
    },
    "PeerDetail": {
        "type": "object",
        "required": ["centre", "tasks", "peer"],
        "properties": {
            "centre": {"type": "string"},
            "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
            "peer": {
                "allOf": [
                    {"$ref": "#/components/schemas/Peer"},
                    {
                        "type": "object",
                        "required": ["certificates"],
                        "properties": {
                            "certificates": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/CertificateSummary"},
                            }
                        },
                    },
                ]
            },
        },
    },
}

RESPONSES: dict = {
    "BadRequest": _error_response(
        400, "The request is malformed.", "This is not a certificate code: 20 letters and digits."
    ),
    "Unauthorized": _unauthorized(),
    "NotFound": _error_response(404, "Nothing to show here.", "No certificate has this code."),
    "TooManyRequests": _error_response(
        429,
        "Too many requests; wait as long as `Retry-After` says.",
        "Too many attempts. Please wait a little and try again.",
    ),
}


def _schema(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema_name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": _schema(schema_name)}},
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/responses/{name}"}


PATHS: dict = {
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This document",
            "security": [],
            "responses": {
                "200": {
                    "description": "The OpenAPI 3.1 document.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
    "/api/v1/certificates/{code}": {
        "get": {
            "operationId": "verifyCertificate",
            "summary": "Verify a certificate by its code",
            "description": "Open to anyone. With a centre's token the check appears in that "
            "centre's verification log. Every check is logged (time, code, result); "
            "never an IP address. Checks share a rate limit with the verify page (429).",
            # Optional authentication: anonymous, or a centre token.
            "security": [{}, {"bearerAuth": []}],
            "parameters": [
                {
                    "name": "code",
                    "in": "path",
                    "required": True,
                    "description": "20 letters and digits (Crockford's base32: no U; I, L "
                    "and O are read as 1, 1 and 0); case, spaces and dashes do not matter. At "
                    f"most {MAX_TYPED_LENGTH} characters in all.",
                    "schema": {
                        "type": "string",
                        "pattern": TYPED_CODE_PATTERN,
                        "maxLength": MAX_TYPED_LENGTH,
                        "example": "ABCD-EFGH-JKMN-PQRS-TVWX",
                    },
                }
            ],
            "responses": {
                "200": _json("Verification", "The certificate's status."),
                "400": _ref("BadRequest"),
                "401": _ref("Unauthorized"),
                "404": _ref("NotFound"),
                "429": _ref("TooManyRequests"),
            },
        }
    },
    "/api/v1/centre/peers": {
        "get": {
            "operationId": "listCentrePeers",
            "summary": "The token's centre: its tasks and every consenting peer's clearance",
            "description": "Only peers who currently share their certification status with "
            "the centre. Never quiz answers or scores.",
            "responses": {
                "200": _json("PeerList", "The centre's clearance matrix."),
                "401": _ref("Unauthorized"),
            },
        }
    },
    "/api/v1/centre/peers/{user_id}": {
        "get": {
            "operationId": "getCentrePeer",
            "summary": "One consenting peer: clearance per task and certificates",
            "parameters": [
                {
                    "name": "user_id",
                    "in": "path",
                    "required": True,
                    "description": "The peer's number, as in the peer list.",
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_DATABASE_ID},
                }
            ],
            "responses": {
                "200": _json("PeerDetail", "The peer's clearance and certificates."),
                "401": _ref("Unauthorized"),
                "404": _ref("NotFound"),
            },
        }
    },
}

DOCUMENT: dict = {
    "openapi": "3.1.0",
    "info": {
        "title": "Peer Academy API",
        "version": "1.0.0",
        "description": "Certificate verification, and for counselling centres the clearance "
        "of the peers who share their certification status with them. Errors are JSON: "
        '`{"error": "<message>", "status": <code>}`.',
    },
    "servers": [{"url": "/"}],
    "security": [{"bearerAuth": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A centre's API token (starts with `pa_`), created by a "
                "coordinator in the centre workspace under API tokens.",
            }
        },
        "schemas": SCHEMAS,
        "responses": RESPONSES,
    },
}


def openapi_document() -> dict:
    """A copy, so that no caller can change the document for the next one."""
    return deepcopy(DOCUMENT)
