"""The JSON API under /api/v1: certificate verification for anyone, and a centre's
peers and their clearance for the centre's API tokens.

Centre endpoints authenticate with ``Authorization: Bearer <token>`` only; the session
cookie is never read here, so a signed-in browser cannot be tricked into using the API.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request
from flask_babel import gettext
from werkzeug.exceptions import Unauthorized

from academy.core.extensions import csrf, db
from academy.core.limiter import verification_limit
from academy.modules.api.openapi import openapi_document
from academy.modules.centres import api_tokens, clearance, coordinators, tasks
from academy.modules.centres.models import ApiToken
from academy.modules.certificates import services as certificates

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated JSON, no cookies forms

REALM = 'Bearer realm="Peer Academy API"'


class TokenProblem(Unauthorized):
    """A missing or unusable token: 401 with a ``WWW-Authenticate`` challenge."""

    def __init__(self, description: str, invalid: bool) -> None:
        super().__init__(description)
        self.challenge = REALM + (', error="invalid_token"' if invalid else "")


@bp.errorhandler(TokenProblem)
def token_problem(error: TokenProblem) -> Response:
    response = jsonify(error=error.description, status=401)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = error.challenge
    return response


def _bearer_token() -> str | None:
    """The token sent in the Authorization header; None if there is no header."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenProblem(
            gettext("Send the token as 'Authorization: Bearer <token>'."), invalid=True
        )
    return token.strip()


def _authenticated(required: bool) -> ApiToken | None:
    plain = _bearer_token()
    if plain is None:
        if required:
            raise TokenProblem(
                gettext(
                    "This needs an API token: send 'Authorization: Bearer <token>'. "
                    "Coordinators create tokens in the centre workspace."
                ),
                invalid=False,
            )
        return None
    token = _token_record(plain)
    if token is None:
        raise TokenProblem(
            gettext("This API token is not valid or has been revoked."), invalid=True
        )
    return token


def _token_record(plain: str) -> ApiToken | None:
    """``api_tokens.authenticate_token``, looked up once per request: the verification
    limit asks about the token before the view does."""
    looked_up = g.get("api_token")
    if looked_up is None or looked_up[0] != plain:
        looked_up = g.api_token = (plain, api_tokens.authenticate_token(plain))
    return looked_up[1]


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify(error=message, status=status), status


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


def _valid_token_sent() -> bool:
    """A centre's valid API token earns the higher verification limit (a rota checks
    many peers); without one, or with a bad one, the address's ordinary budget counts."""
    try:
        return _authenticated(required=False) is not None
    except TokenProblem:
        return False


@bp.get("/certificates/<code>")
@verification_limit(token_limit_applies=_valid_token_sent)
def certificate(code: str):
    """Anyone may verify a code; with a token the check is logged for its centre."""
    token = _authenticated(required=False)
    result = certificates.verify_code(
        code, via="api", centre_id=token.centre_id if token is not None else None
    )
    db.session.commit()  # the audit log entry, and the token's last use
    if result is None:
        return _error(400, gettext("This is not a certificate code: 20 letters and digits."))
    if result.status == "unknown":
        return _error(404, gettext("No certificate has this code."))
    return jsonify(result.as_dict())


@bp.get("/centre/peers")
def centre_peers():
    token = _authenticated(required=True)
    matrix = clearance.clearance_matrix(coordinators.get_centre(token.centre_id))
    db.session.commit()  # the token's last use, at most once a minute
    return jsonify(
        centre=matrix.centre_name,
        tasks=[_task(task) for task in matrix.tasks],
        peers=[_peer(peer) for peer in matrix.peers],
    )


@bp.get("/centre/peers/<id:user_id>")
def centre_peer(user_id: int):
    token = _authenticated(required=True)
    db.session.commit()  # the token's last use, even if the peer is not found
    detail = clearance.peer_detail(coordinators.get_centre(token.centre_id), user_id)
    return jsonify(
        centre=detail.centre_name,
        tasks=[_task(task) for task in detail.tasks],
        peer=_peer(detail.peer)
        | {"certificates": [item.as_dict() for item in detail.certificates]},
    )


def _task(task: tasks.TaskSummary) -> dict:
    return {
        "id": task.id,
        "title": task.title,
        "requirements": [
            {"kind": r.kind, "ref": r.ref, "title": r.title} for r in task.requirements
        ],
    }


def _peer(peer: clearance.PeerClearance) -> dict:
    return {
        "id": peer.id,
        "display_name": peer.display_name,
        "paused": peer.paused,
        # JSON object keys are strings: the task id as text.
        "tasks": {str(task_id): cell.as_dict() for task_id, cell in peer.cells.items()},
    }
