"""NUL bytes, ids beyond the database's range and over-long codes get a clear 400 or a
404, never a 500 (docs/security.md, "Hostile input"). The property-based walk over every
route is tests/core/test_hostile_input.py; these are the cases the issue named."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from academy.core.extensions import db
from academy.core.input_checks import MAX_DATABASE_ID, NUL_MESSAGE
from academy.modules.accounts.models import Role, User
from academy.modules.centres import api_tokens, coordinators, tasks
from academy.modules.certificates.codes import normalise_code
from tests.conftest import PASSWORD

NUL_SHOWN = "contains a NUL character"
NOT_A_CODE = "This is not a certificate code"
BEYOND = (MAX_DATABASE_ID + 1, 2**63)


def test_a_nul_in_the_sign_in_name_is_named_and_nothing_is_counted(client, trainee):
    response = client.post("/sign-in", data={"username": "trainee-one\x00", "password": "x"})

    assert response.status_code == 400
    assert NUL_SHOWN in response.text
    assert db.session.get(User, trainee.id).failed_sign_ins == 0


def test_a_nul_in_the_display_name_changes_nothing(client, auth, trainee):
    auth.sign_in(trainee)
    response = client.post("/account/display-name", data={"display_name": "Ay\x00o"})

    assert response.status_code == 400
    assert NUL_SHOWN in response.text and "Nothing was saved" in response.text
    db.session.expire_all()
    assert db.session.get(User, trainee.id).display_name == "Ayo"


@pytest.mark.parametrize(
    "data",
    [{"title": "Lead\x00", "requirements": "module:basics"}, {"title": "Lead", "x\x00": "1"}],
    ids=["value", "field name"],
)
def test_a_nul_anywhere_in_a_form_is_refused(client, make_user, data):
    coordinator = make_user(Role.CENTRE)
    centre = coordinators.create_centre("Centre", coordinator)
    db.session.commit()
    client.post("/sign-in", data={"username": coordinator.username, "password": PASSWORD})

    response = client.post("/centre/tasks", data=data)

    assert response.status_code == 400 and NUL_SHOWN in response.text
    assert tasks.tasks_of(centre) == []


def test_a_nul_in_the_query_string_is_refused(client):
    response = client.get("/verify", query_string={"code": "ABCD\x00"})
    assert response.status_code == 400 and NUL_SHOWN in response.text


def test_a_nul_in_an_api_path_is_a_json_400(client):
    response = client.get("/api/v1/certificates/ABCD%00EFGH")
    assert response.status_code == 400
    assert response.get_json() == {"error": NUL_MESSAGE, "status": 400}


def test_ids_are_routed_up_to_the_database_maximum_and_no_further(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match(f"/quiz/attempts/{MAX_DATABASE_ID}") == (
        "quizzes.result",
        {"attempt_id": MAX_DATABASE_ID},
    )
    for path in ("/quiz/attempts/0", *(f"/quiz/attempts/{number}" for number in BEYOND)):
        with pytest.raises(NotFound):
            adapter.match(path)


@pytest.mark.parametrize("number", BEYOND)
def test_a_quiz_attempt_beyond_the_range_is_a_404(client, auth, trainee, number):
    auth.sign_in(trainee)
    assert client.get(f"/quiz/attempts/{number}").status_code == 404
    assert client.post(f"/quiz/attempts/{number}").status_code == 404


@pytest.mark.parametrize("number", BEYOND)
def test_trainer_pages_beyond_the_range_are_404s(client, make_user, number):
    trainer = make_user(Role.TRAINER)
    client.post("/sign-in", data={"username": trainer.username, "password": PASSWORD})
    for method, path in (
        ("GET", f"/trainer/trainees/{number}"),
        ("POST", f"/trainer/trainees/{number}/suspend"),
        ("POST", f"/trainer/trainees/{number}/lift"),
        ("POST", f"/trainer/certificates/{number}/revoke"),
    ):
        assert client.open(path, method=method).status_code == 404, path


@pytest.mark.parametrize("number", BEYOND)
def test_centre_pages_beyond_the_range_are_404s(client, make_user, number):
    """Ids beyond the range are refused by routing, before any centre service runs."""
    coordinator, peer = make_user(Role.CENTRE), make_user(Role.TRAINEE)
    coordinators.create_centre("Centre", coordinator)
    db.session.commit()
    client.post("/sign-in", data={"username": coordinator.username, "password": PASSWORD})
    for method, path in (
        ("GET", f"/centre/tasks/{number}"),
        ("POST", f"/centre/tasks/{number}"),
        ("POST", f"/centre/tasks/{number}/delete"),
        ("GET", f"/centre/peers/{number}"),
        ("POST", f"/centre/tokens/{number}/revoke"),
    ):
        assert client.open(path, method=method).status_code == 404, path
    client.post("/sign-out")
    client.post("/sign-in", data={"username": peer.username, "password": PASSWORD})
    assert client.post(f"/centres/{number}/withdraw").status_code == 404


@pytest.mark.parametrize("number", BEYOND)
def test_the_api_answers_ids_beyond_the_range_with_a_json_404(client, make_user, number):
    coordinator = make_user(Role.CENTRE)
    centre = coordinators.create_centre("Centre", coordinator)
    _, token = api_tokens.create_token(centre, "Rota", coordinator)
    db.session.commit()

    response = client.get(
        f"/api/v1/centre/peers/{number}", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 404 and response.get_json()["status"] == 404


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD-EFGH-JKMN-PQRS-TVWX" + "-" * 100,  # a code, padded past any typed form
        "ABCD" + " " * 50 + "EFGHJKMNPQRSTVWX",
        "ABCD-EFGH-JKMN-PQRS-TVWı",  # the dotless i, which str.upper makes an I (a 1)
        "ABCD-EFGH-JKMN-PQRS-TVWſ",  # the long s, which str.upper makes an S
    ],
    ids=["dashes", "spaces", "dotless i", "long s"],
)
def test_over_long_or_non_ascii_codes_are_not_codes(client, typed):
    page = client.get("/verify", query_string={"code": typed})
    api = client.get(f"/api/v1/certificates/{typed}")

    assert page.status_code == 400 and NOT_A_CODE in page.text
    assert api.status_code == 400 and api.get_json()["error"].startswith(NOT_A_CODE)


def test_a_code_typed_at_full_length_still_counts():
    typed = "  abcd - efgh - jkmn - pqrs - tvwx  ".ljust(64)  # the longest a typed code may be
    assert normalise_code(typed) == "ABCDEFGHJKMNPQRSTVWX"
    assert normalise_code(typed + " ") is None
