"""Signed credentials for download, and what verifiers need: the academy's keys, status lists."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from academy.modules.certificates import services
from academy.modules.credentials import documents, keys, status_list

bp = Blueprint("credentials", __name__)

JSON_LD = "application/ld+json"
PUBLIC_MAX_AGE = 300


def _public(body: bytes, mimetype: str, max_age: int) -> Response:
    """Public, cacheable JSON that verifiers on other sites may fetch from a browser."""
    response = Response(body, mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _json(document: dict) -> bytes:
    return json.dumps(document, indent=2).encode("utf-8") + b"\n"


@bp.get("/certificates/<code>/credential.json")
@login_required
def download(code: str) -> Response:
    """The holder's own signed credential; anyone else gets a 404, as for a wrong code."""
    certificate = services.get_own_certificate(current_user.id, code)
    body = documents.credential_json(documents.issue_credential(certificate))
    response = Response(body, mimetype=JSON_LD)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="peer-academy-{certificate.code}.json"'
    )
    response.headers["Cache-Control"] = "no-store"  # it carries the holder's name
    return response


@bp.get("/issuer")
def issuer() -> Response:
    return _public(_json(documents.issuer_profile()), JSON_LD, PUBLIC_MAX_AGE)


@bp.get("/.well-known/academy-keys.json")
def key_list() -> Response:
    return _public(_json(documents.key_list()), "application/json", PUBLIC_MAX_AGE)


@bp.get("/status/<key>")
def status(key: str) -> Response:
    """The status list signed by one of the academy's keys (named by its public key)."""
    try:
        body = status_list.published_status_list(key)
    except keys.KeyStoreError:
        # A published key whose private part is gone cannot sign its list; verifiers then
        # refuse what it signed, as after a compromise (docs/credentials.md, "Keys").
        current_app.logger.warning("a status list was asked for whose key file is unreadable")
        body = None
    if body is None:
        raise NotFound(gettext("There is no such status list."))
    return _public(body, JSON_LD, status_list.cache_seconds())
