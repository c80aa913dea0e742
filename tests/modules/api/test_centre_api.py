"""The centre API: bearer tokens, a centre's peers and their clearance, attribution of
certificate checks, and JSON errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import api_tokens, audit_log, membership
from academy.modules.centres.models import ApiToken, VerificationLogEntry
from academy.modules.certificates import services as certificates
from tests.conftest import PASSWORD
from tests.modules.centres.helpers import add_task, certify, coordinator_of, join, make_centre


@pytest.fixture
def centre_a(make_user):
    return make_centre(make_user, "Centre A")


@pytest.fixture
def centre_b(make_user):
    return make_centre(make_user, "Centre B")


def token_for(centre) -> str:
    _, plain = api_tokens.create_token(centre, "Rota", coordinator_of(centre))
    db.session.commit()
    return plain


def bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def roster(centre_a, make_user):
    """Centre A: two tasks; a cleared peer, a paused one, and one who does not share."""
    lead = add_task(centre_a, "Lead a group session", "module:basics", "module:advanced")
    pr = add_task(centre_a, "Support public relations", "module:basics")
    cleared = make_user(Role.TRAINEE, "cleared", "Cleared Peer")
    paused = make_user(Role.TRAINEE, "paused", "Paused Peer")
    outsider = make_user(Role.TRAINEE, "outsider", "Outsider")
    for peer in (cleared, paused):
        join(peer, centre_a)
    for peer in (cleared, paused, outsider):
        certify(peer, "module", "basics")
    certificates.pause_self(paused)
    db.session.commit()
    return {"lead": lead, "pr": pr, "cleared": cleared, "paused": paused, "outsider": outsider}


# --- authentication -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/centre/peers", "/api/v1/centre/peers/1"])
def test_no_token_is_401_with_a_bearer_challenge(client, app, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="Peer Academy API"'
    assert response.get_json() == {
        "error": "This needs an API token: send 'Authorization: Bearer <token>'. "
        "Coordinators create tokens in the centre workspace.",
        "status": 401,
    }


@pytest.mark.parametrize(
    "header", ["Bearer pa_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "pa_token", "Bearer"]
)
def test_invalid_tokens_and_headers_are_401(client, centre_a, header):
    response = client.get("/api/v1/centre/peers", headers={"Authorization": header})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert response.get_json()["status"] == 401


def test_a_revoked_token_is_401(client, centre_a):
    plain = token_for(centre_a)
    assert client.get("/api/v1/centre/peers", headers=bearer(plain)).status_code == 200
    token = db.session.scalar(select(ApiToken))
    api_tokens.revoke_token(centre_a, token.id)
    db.session.commit()
    response = client.get("/api/v1/centre/peers", headers=bearer(plain))
    assert response.status_code == 401
    assert response.get_json()["error"] == "This API token is not valid or has been revoked."


def test_the_session_cookie_is_never_enough(client, centre_a):
    response = client.post(
        "/sign-in", data={"username": coordinator_of(centre_a).username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/centre").status_code == 200  # signed in for the pages
    assert client.get("/api/v1/centre/peers").status_code == 401


def test_last_use_is_recorded_at_most_once_a_minute(client, centre_a):
    plain = token_for(centre_a)
    client.get("/api/v1/centre/peers", headers=bearer(plain))
    db.session.expire_all()
    first = db.session.scalar(select(ApiToken.last_used_at))
    assert first is not None
    clock.travel(timedelta(seconds=20))
    client.get("/api/v1/centre/peers", headers=bearer(plain))
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.last_used_at)) == first
    clock.travel(timedelta(minutes=2))
    client.get("/api/v1/centre/peers/12345", headers=bearer(plain))  # a 404 is a use too
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.last_used_at)) > first


# --- peers and clearance ------------------------------------------------------------------


def test_the_centres_peers_with_their_clearance_per_task(client, centre_a, roster):
    response = client.get("/api/v1/centre/peers", headers=bearer(token_for(centre_a)))
    assert response.status_code == 200
    data = response.get_json()
    lead, pr = str(roster["lead"].id), str(roster["pr"].id)
    expiry = (clock.utcnow() + timedelta(days=365)).date().isoformat()
    assert data["centre"] == "Centre A"
    assert [(t["id"], t["title"]) for t in data["tasks"]] == [
        (roster["lead"].id, "Lead a group session"),
        (roster["pr"].id, "Support public relations"),
    ]
    assert data["tasks"][1]["requirements"] == [
        {"kind": "module", "ref": "basics", "title": "Basics"}
    ]
    assert data["peers"] == [
        {
            "id": roster["cleared"].id,
            "display_name": "Cleared Peer",
            "paused": False,
            "tasks": {
                lead: {
                    "status": "missing",
                    "missing": ["Advanced"],
                    "expired": [],
                    "expires_on": None,
                },
                pr: {"status": "cleared", "missing": [], "expired": [], "expires_on": expiry},
            },
        },
        {
            "id": roster["paused"].id,
            "display_name": "Paused Peer",
            "paused": True,
            "tasks": {
                task: {"status": "paused", "missing": [], "expired": [], "expires_on": None}
                for task in (lead, pr)
            },
        },
    ]


def test_one_peer_with_certificates_but_no_scores(client, centre_a, roster):
    peer = roster["cleared"]
    response = client.get(f"/api/v1/centre/peers/{peer.id}", headers=bearer(token_for(centre_a)))
    assert response.status_code == 200
    data = response.get_json()
    assert data["peer"]["display_name"] == "Cleared Peer"
    assert data["peer"]["tasks"][str(roster["pr"].id)]["status"] == "cleared"
    [certificate] = data["peer"]["certificates"]
    assert certificate["title"] == "Basics" and certificate["status"] == "valid"
    assert "score" not in response.text.lower()


def test_peers_who_do_not_share_are_404(client, centre_a, roster):
    plain = token_for(centre_a)
    response = client.get(f"/api/v1/centre/peers/{roster['outsider'].id}", headers=bearer(plain))
    assert response.status_code == 404
    assert response.get_json()["status"] == 404
    for number in (0, 2**31, 10**30):
        assert client.get(f"/api/v1/centre/peers/{number}", headers=bearer(plain)).status_code == (
            404
        )


def test_withdrawal_hides_the_peer_from_the_api_at_once(client, centre_a, roster):
    plain = token_for(centre_a)
    peer = roster["cleared"]
    assert client.get(f"/api/v1/centre/peers/{peer.id}", headers=bearer(plain)).status_code == 200
    membership.withdraw_consent(peer, centre_a.id)
    db.session.commit()
    assert client.get(f"/api/v1/centre/peers/{peer.id}", headers=bearer(plain)).status_code == 404
    listing = client.get("/api/v1/centre/peers", headers=bearer(plain)).get_json()
    assert [p["display_name"] for p in listing["peers"]] == ["Paused Peer"]


def test_a_token_of_centre_b_reads_nothing_of_centre_a(client, centre_a, centre_b, roster):
    plain_b = token_for(centre_b)
    listing = client.get("/api/v1/centre/peers", headers=bearer(plain_b)).get_json()
    assert listing == {"centre": "Centre B", "tasks": [], "peers": []}
    for peer in (roster["cleared"], roster["paused"]):
        response = client.get(f"/api/v1/centre/peers/{peer.id}", headers=bearer(plain_b))
        assert response.status_code == 404


# --- certificate checks and the audit log -------------------------------------------------


def test_checks_with_a_token_are_logged_for_its_centre(client, centre_a, roster):
    code = certificates.certificates_for(roster["outsider"].id)[0].code
    plain = token_for(centre_a)

    assert client.get(f"/api/v1/certificates/{code}", headers=bearer(plain)).status_code == 200
    assert client.get(f"/api/v1/certificates/{code}").status_code == 200
    assert client.get("/api/v1/certificates/0000-0000-0000-0000-0000").status_code == 404

    entries = db.session.scalars(select(VerificationLogEntry).order_by(VerificationLogEntry.id))
    assert [(e.code, e.result, e.via, e.user_id, e.centre_id) for e in entries] == [
        (code, "valid", "api", None, centre_a.id),
        (code, "valid", "api", None, None),
        ("00000000000000000000", "unknown", "api", None, None),
    ]
    assert [e.via for e in audit_log.verification_log(centre_a).entries] == ["api"]


def test_a_check_with_a_token_looks_the_token_up_once(client, app, centre_a, roster):
    from sqlalchemy import event

    code = certificates.certificates_for(roster["outsider"].id)[0].code
    plain = token_for(centre_a)
    lookups = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().startswith("SELECT") and "FROM centre_api_tokens" in statement:
            lookups.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(f"/api/v1/certificates/{code}", headers=bearer(plain))
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert response.status_code == 200
    assert len(lookups) == 1  # the verification limit and the view share it


def test_a_bad_token_on_the_public_check_is_401_not_silently_anonymous(client, centre_a):
    response = client.get(
        "/api/v1/certificates/0000-0000-0000-0000-0000", headers=bearer("pa_wrong")
    )
    assert response.status_code == 401
    assert db.session.scalar(select(VerificationLogEntry)) is None


def test_a_malformed_code_is_400_and_not_logged(client, app):
    response = client.get("/api/v1/certificates/not-a-code")
    assert response.status_code == 400
    assert response.get_json()["status"] == 400
    assert db.session.scalar(select(VerificationLogEntry)) is None


# --- errors -------------------------------------------------------------------------------


def test_errors_are_json_with_the_status(client, app):
    response = client.post("/api/v1/centre/peers")
    assert response.status_code == 405 and response.get_json()["status"] == 405
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["status"] == 404
